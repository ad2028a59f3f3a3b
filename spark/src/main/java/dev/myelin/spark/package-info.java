/**
 * Myelin on Apache Spark 4.2: batch scoring in Spark ML pipelines ({@link dev.myelin.spark.MyelinModel}),
 * parallel hyper-parameter search ({@link dev.myelin.spark.MyelinTuner}) and synchronous data-parallel
 * training ({@link dev.myelin.spark.SparkTrainer}, {@link dev.myelin.spark.MyelinEstimator}). Every task
 * works on a private model replica with its own backend instance; only byte arrays, strings and primitives
 * cross the wire.
 */
package dev.myelin.spark;
