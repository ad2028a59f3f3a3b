/**
 * Data on the host: {@link dev.myelin.data.FloatMatrix}, the readers (IDX, CSV), the data sets
 * that ship with or are found by Myelin, and the preprocessing a training run needs.
 *
 * <pre>{@code
 * Dataset iris = Datasets.iris();                                   // 150 x 4, 3 classes
 * DataSplit split = iris.stratifiedSplit(0.1, 0.2, 42);             // same parts for the same seed
 * Scaler scaler = new StandardScaler().fit(split.train().features());
 * Dataset train = scaler.transform(split.train());                  // fit on train only,
 * Dataset test = scaler.transform(split.test());                    // then apply to the rest
 * FloatMatrix y = train.oneHotLabels();                             // [n x 3] targets
 *
 * TrainTest fashion = FashionMnist.load(dataDir);                   // 60,000 + 10,000 images, 784 pixels in [0, 1]
 * Dataset csv = CsvReader.labelColumn("species").read(Path.of("flowers.csv"));
 * }</pre>
 *
 * A file that breaks its format is a {@link dev.myelin.data.MalformedFileException} naming the file
 * and the byte offset (IDX) or line and column (CSV); readers return nothing from such a file.
 */
package dev.myelin.data;
