package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.FloatMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The host-side Keras metrics, called as Keras's {@code update_state}/{@code result}, against values
 * computed independently in float64 numpy from Keras 3's formulas by
 * {@code src/test/resources/dev/myelin/nn/metrics_reference.py} (its output is pasted below).
 */
class MetricsTest {

    // ---------------------------------------------------------------- data and expected values (generated)

    private static final float[] YB = {1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 0f, 1f, 1f, 1f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 0f, 1f, 1f, 1f, 0f, 0f, 1f};
    private static final float[] PB = {0.0329999998f, 0.360000014f, 0.792999983f, 0.552999973f, 0.957000017f, 0.101000004f, 0.855000019f, 0.0810000002f, 0.206f, 0.890999973f, 0.940999985f, 0.261999995f, 0.856000006f, 0.825999975f, 0.535000026f, 0.512000024f, 0.451999992f, 0.256000012f, 0.962000012f, 0.338999987f, 0.272000015f, 0.180999994f, 0.688000023f, 0.727999985f, 0.764999986f, 0.261999995f, 0.59799999f, 0.0949999988f, 0.796000004f, 0.861999989f, 0.0759999976f, 0.547999978f, 0.672999978f, 0.338999987f, 0.708999991f, 0.773999989f, 0.0560000017f, 0.734000027f, 0.716000021f, 0.861000001f};
    private static final float[] WB = {1.62f, 0.479999989f, 0.25f, 1.66999996f, 0.819999993f, 0.360000014f, 0.200000003f, 1.13999999f, 1.28999996f, 1.51999998f, 0.439999998f, 0.379999995f, 0.25999999f, 1.26999998f, 1.89999998f, 0.349999994f, 0.829999983f, 0.779999971f, 0.159999996f, 0.899999976f, 1.22000003f, 0.860000014f, 1.96000004f, 0.409999996f, 0.870000005f, 0.579999983f, 0.289999992f, 0.680000007f, 1.5f, 0.699999988f, 0.289999992f, 0.75999999f, 0.959999979f, 0.930000007f, 1.82000005f, 1.57000005f, 1.33000004f, 0.219999999f, 0.379999995f, 1.96000004f};
    private static final float[] LOGITS = {1.47000003f, 0.834999979f, 2.46700001f, -3.25399995f, 0.884000003f, 3.40700006f, 0.382999986f, 0.30399999f, 0.0219999999f, 0.430999994f, 0.312999994f, -0.125f, -5.46600008f, -1.98000002f, 1.68499994f, 2.63599992f, -2.2980001f, -1.18599999f, -0.0599999987f, -0.312000006f, -4.85599995f, -3.5150001f, 1.16299999f, 2.19799995f, 2.53800011f, -0.337000012f, -0.698000014f, 0.833999991f, -0.196999997f, 0.865999997f, 2.27699995f, 1.54799998f, 1.14600003f, 0.90200001f, -0.0900000036f, -1.55999994f, -0.792999983f, 0.38499999f, -1.76600003f, -3.46499991f};
    private static final float[] PM = {0.145099998f, 0.190500006f, 0.0650999993f, 0.354799986f, 0.157100007f, 0.0874999985f, 0.151999995f, 0.179199994f, 0.0355999991f, 0.0667999983f, 0.298799992f, 0.2676f, 0.173299998f, 0.196500003f, 0.131899998f, 0.239800006f, 0.0988999978f, 0.159700006f, 0.187099993f, 0.176799998f, 0.203999996f, 0.199100003f, 0.203999996f, 0.0810000002f, 0.270200014f, 0.275200009f, 0.0844999999f, 0.0423000008f, 0.0303000007f, 0.297600001f, 0.103f, 0.0342999995f, 0.278100014f, 0.218799993f, 0.290199995f, 0.0754999965f, 0.144400001f, 0.105899997f, 0.0710999966f, 0.119599998f, 0.209900007f, 0.349000007f, 0.145899996f, 0.0337000005f, 0.0914999992f, 0.251399994f, 0.231299996f, 0.246199995f, 0.0835999995f, 0.0922999978f, 0.317499995f, 0.0904000029f, 0.351200014f, 0.0650999993f, 0.00079999998f, 0.244399995f, 0.145099998f, 0.231399998f, 0.190099999f, 0.188099995f, 0.198899999f, 0.104800001f, 0.25850001f, 0.0240000002f, 0.296400011f, 0.117399998f, 0.0754999965f, 0.243499994f, 0.00620000018f, 0.137600005f, 0.228599995f, 0.308600008f};
    private static final float[] YM = {0f, 1f, 4f, 0f, 3f, 4f, 1f, 3f, 0f, 5f, 1f, 4f};
    private static final float[] YML = {0f, 1f, 0f, 0f, 1f, 1f, 0f, 1f, 1f, 1f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 1f, 1f, 0f, 0f, 0f, 0f, 1f, 1f, 0f, 1f, 0f, 1f, 0f, 1f, 1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f, 1f, 1f, 1f, 0f, 1f, 1f, 1f};
    private static final float[] WM = {0.99000001f, 1.26999998f, 1.90999997f, 0.589999974f, 0.349999994f, 0.910000026f, 0.129999995f, 1.23000002f, 1.59000003f, 0.860000014f, 0.649999976f, 0.810000002f};
    private static final double[] E_counts = {15, 12, 10, 13, 12, 7, 6, 7, 12, 6, 9, 11};
    private static final double[] E_weightedCounts = {13.470000058412552, 8.7699999362230301, 5.35999995470047, 8.3100000023841858};
    private static final double[] E_aucRoc = {0.53007518796992481};
    private static final double[] E_aucPr = {0.57140758124978785};
    private static final double[] E_aucRocMinoring = {0.52882205513784464};
    private static final double[] E_aucRocMajoring = {0.53132832080200498};
    private static final double[] E_aucPrMajoring = {0.59704026852280978};
    private static final double[] E_aucRocWeighted = {0.59919630004783975};
    private static final double[] E_aucRoc10 = {0.5363408521303259};
    private static final double[] E_aucLogits = {0.43107769423558895};
    private static final double[] E_precision = {0.5};
    private static final double[] E_recall = {0.5714285714285714};
    private static final double[] E_precisionThresholds = {0.5357142857142857, 0.58823529411764708};
    private static final double[] E_recallThresholds = {0.7142857142857143, 0.47619047619047616};
    private static final double[] E_precisionTop2 = {0.33333333333333331};
    private static final double[] E_recallTop2 = {0.27586206896551724};
    private static final double[] E_precisionClass3At02 = {0.59999999999999998};
    private static final double[] E_recallClass3At02 = {0.42857142857142855};
    private static final double[] E_precisionTop2Class1Weighted = {0.36585366193462926};
    private static final double[] E_recallTop2Class1Weighted = {0.29220779289894067};
    private static final double[] E_precisionTop1 = {0.33333333333333331};
    private static final double[] E_recallTop1 = {0.13793103448275862};
    private static final double[] E_top5 = {0.91666666666666663};
    private static final double[] E_top2 = {0.16666666666666666};
    private static final double[] E_top2Weighted = {0.18954828381538391};
    private static final double[] E_top1 = {0.16666666666666666};
    private static final double[] E_confusion = {0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0};

    // ---------------------------------------------------------------- tests

    private static final double TOL = 1e-9;

    private static FloatMatrix binary(float[] v) {
        return new FloatMatrix(v.length, 1, v);
    }

    private static FloatMatrix multi(float[] v) {
        return new FloatMatrix(v.length / 6, 6, v);
    }

    /** Feeds the data in two batches, as fit would, so accumulation across batches is exercised. */
    private static void feed(Metric m, FloatMatrix y, FloatMatrix p, float[] w) {
        int half = y.rows() / 2;
        for (int[] range : new int[][] {{0, half}, {half, y.rows()}}) {
            int rows = range[1] - range[0];
            float[] yy = Arrays.copyOfRange(y.data(), range[0] * y.cols(), range[1] * y.cols());
            float[] pp = Arrays.copyOfRange(p.data(), range[0] * p.cols(), range[1] * p.cols());
            float[] ww = w == null ? null : Arrays.copyOfRange(w, range[0], range[1]);
            m.updateState(new FloatMatrix(rows, y.cols(), yy), new FloatMatrix(rows, p.cols(), pp), ww);
        }
    }

    @Test
    void confusionCountsAtThresholds() {
        double[] t = {0.3, 0.5, 0.7};
        ThresholdMetric[] ms = {ConfusionCount.truePositives(t), ConfusionCount.falsePositives(t),
            ConfusionCount.trueNegatives(t), ConfusionCount.falseNegatives(t)};
        for (int c = 0; c < 4; c++) {
            feed(ms[c], binary(YB), binary(PB), null);
            assertArrayEquals(Arrays.copyOfRange(E_counts, 3 * c, 3 * c + 3), ms[c].results(), TOL, ms[c].name());
        }
        Metric[] weighted = {Metric.of("true_positives"), Metric.of("false_positives"), Metric.of("true_negatives"),
            Metric.of("false_negatives")};
        for (int c = 0; c < 4; c++) {
            feed(weighted[c], binary(YB), binary(PB), WB);
            assertEquals(E_weightedCounts[c], weighted[c].result(), 1e-5, weighted[c].name() + " weighted");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ms[0].result());
        assertTrue(e.getMessage().contains("results()"), e.getMessage());
    }

    @Test
    void aucAsKeras() {
        check(new AUC(), E_aucRoc[0], null, "ROC");
        check(Metric.of("auc"), E_aucRoc[0], null, "auc by name");
        check(new AUC(200, AUC.Curve.PR, AUC.Summation.INTERPOLATION, null, false), E_aucPr[0], null, "PR");
        check(new AUC(200, AUC.Curve.ROC, AUC.Summation.MINORING, null, false), E_aucRocMinoring[0], null, "minoring");
        check(new AUC(200, AUC.Curve.ROC, AUC.Summation.MAJORING, null, false), E_aucRocMajoring[0], null, "majoring");
        check(new AUC(200, AUC.Curve.PR, AUC.Summation.MAJORING, null, false), E_aucPrMajoring[0], null, "PR majoring");
        check(new AUC(), E_aucRocWeighted[0], WB, "weighted ROC");
        check(new AUC(10, AUC.Curve.ROC, AUC.Summation.INTERPOLATION, null, false), E_aucRoc10[0], null, "10 thresholds");
        // Explicit thresholds equal to the evenly spaced ones compare p > t instead of bucketing: same area.
        double[] explicit = new double[198];
        for (int i = 0; i < explicit.length; i++) {
            explicit[i] = (i + 1) / 199.0;
        }
        check(new AUC(200, AUC.Curve.ROC, AUC.Summation.INTERPOLATION, explicit, false), E_aucRoc[0], null, "explicit");
        AUC logits = new AUC(200, AUC.Curve.ROC, AUC.Summation.INTERPOLATION, null, true);
        feed(logits, binary(YB), binary(LOGITS), null);
        assertEquals(E_aucLogits[0], logits.result(), TOL, "from_logits");
        AUC nan = new AUC();
        nan.updateState(binary(new float[] {1f, 0f}), binary(new float[] {Float.NaN, 0.2f}));
        assertTrue(Double.isNaN(nan.result()), "a NaN prediction makes the AUC NaN");
        nan.resetState();
        feed(nan, binary(YB), binary(PB), null);
        assertEquals(E_aucRoc[0], nan.result(), TOL, "after reset_state");
    }

    private static void check(Metric m, double expected, float[] w, String what) {
        feed(m, binary(YB), binary(PB), w);
        assertEquals(expected, m.result(), w == null ? TOL : 1e-6, what);
    }

    @Test
    void precisionAndRecallAsKeras() {
        Precision p = new Precision();
        Recall r = new Recall();
        feed(p, binary(YB), binary(PB), null);
        feed(r, binary(YB), binary(PB), null);
        assertEquals(E_precision[0], p.result(), TOL);
        assertEquals(E_recall[0], r.result(), TOL);
        Precision pt = new Precision(new double[] {0.3, 0.7}, 0, -1);
        Recall rt = new Recall(new double[] {0.3, 0.7}, 0, -1);
        feed(pt, binary(YB), binary(PB), null);
        feed(rt, binary(YB), binary(PB), null);
        assertArrayEquals(E_precisionThresholds, pt.results(), TOL);
        assertArrayEquals(E_recallThresholds, rt.results(), TOL);
        pairs(new Precision(null, 2, -1), new Recall(null, 2, -1), null, E_precisionTop2, E_recallTop2, "top_k=2");
        pairs(new Precision(null, 1, -1), new Recall(null, 1, -1), null, E_precisionTop1, E_recallTop1,
                "top_k=1 (a tie in row 3: the lower index wins)");
        pairs(new Precision(new double[] {0.2}, 0, 3), new Recall(new double[] {0.2}, 0, 3), null,
                E_precisionClass3At02, E_recallClass3At02, "class_id=3 at 0.2");
        pairs(new Precision(null, 2, 1), new Recall(null, 2, 1), WM, E_precisionTop2Class1Weighted,
                E_recallTop2Class1Weighted, "top_k=2, class_id=1, weighted");
    }

    private static void pairs(Metric p, Metric r, float[] w, double[] ep, double[] er, String what) {
        feed(p, multi(YML), multi(PM), w);
        feed(r, multi(YML), multi(PM), w);
        assertEquals(ep[0], p.result(), w == null ? TOL : 1e-6, "precision " + what);
        assertEquals(er[0], r.result(), w == null ? TOL : 1e-6, "recall " + what);
    }

    @Test
    void topKAccuracyAsKeras() {
        float[] oneHot = new float[YM.length * 6];
        for (int i = 0; i < YM.length; i++) {
            oneHot[i * 6 + (int) YM[i]] = 1f;
        }
        Metric top5 = Metric.of("top_k_categorical_accuracy");
        feed(top5, multi(oneHot), multi(PM), null);
        assertEquals(E_top5[0], top5.result(), TOL, "k=5 (Keras's default)");
        Metric sparse5 = Metric.of("sparse_top_k_categorical_accuracy");
        feed(sparse5, new FloatMatrix(YM.length, 1, YM), multi(PM), null);
        assertEquals(E_top5[0], sparse5.result(), TOL, "sparse k=5");
        Metric top2 = new TopKCategoricalAccuracy(2);
        feed(top2, multi(oneHot), multi(PM), null);
        assertEquals(E_top2[0], top2.result(), TOL, "k=2");
        Metric sparse2 = new SparseTopKCategoricalAccuracy(2);
        feed(sparse2, new FloatMatrix(YM.length, 1, YM), multi(PM), WM);
        assertEquals(E_top2Weighted[0], sparse2.result(), 1e-6, "sparse k=2 weighted");
        Metric sparseOneHot = new SparseTopKCategoricalAccuracy(1);
        feed(sparseOneHot, multi(oneHot), multi(PM), null);
        assertEquals(E_top1[0], sparseOneHot.result(), TOL, "sparse k=1 given one-hot targets (as fit passes them)");
        // A non-finite prediction is a miss, as TensorFlow's in_top_k.
        Metric inf = new TopKCategoricalAccuracy(5);
        inf.updateState(new FloatMatrix(1, 2, new float[] {1f, 0f}), new FloatMatrix(1, 2, new float[] {0.9f,
            Float.NaN}));
        assertEquals(0.0, inf.result());
    }

    @Test
    void confusionMatrixAsNumpy() {
        ConfusionMatrix cm = ConfusionMatrix.of(new FloatMatrix(YM.length, 1, YM), multi(PM), 6);
        double[][] counts = cm.counts();
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(Arrays.copyOfRange(E_confusion, 6 * i, 6 * i + 6), counts[i], 0.0, "row " + i);
        }
        double trace = 0;
        for (int i = 0; i < 6; i++) {
            trace += E_confusion[7 * i];
        }
        assertEquals(trace / YM.length, cm.result(), TOL);
        assertTrue(cm.toString().contains("true \\ predicted"), cm.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new FloatMatrix(1, 1, new float[] {7f}), new FloatMatrix(1, 6, new float[6]), 6));
        assertTrue(e.getMessage().contains("7"), e.getMessage());
    }

    @Test
    void badBatchesNameTheArgument() {
        Metric m = new AUC();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.updateState(binary(new float[3]), binary(new float[2])));
        assertTrue(e.getMessage().contains("y_true") && e.getMessage().contains("[2 x 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.updateState(binary(new float[2]), binary(new float[2]), new float[3]));
        assertTrue(e.getMessage().contains("sample_weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Precision(new double[] {1.5}, 0, -1));
        assertTrue(e.getMessage().contains("thresholds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AUC(1, AUC.Curve.ROC, AUC.Summation.INTERPOLATION,
                null, false));
        assertTrue(e.getMessage().contains("num_thresholds"), e.getMessage());
    }
}
