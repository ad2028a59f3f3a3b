/**
 * Weight files: {@link dev.myelin.io.SafeTensors} reads and writes the safetensors format (float32),
 * atomically on write and fully validated on read; {@link dev.myelin.data.MalformedFileException} is
 * what every Myelin reader throws for a file that breaks its format, naming the file and the byte
 * or line.
 */
package dev.myelin.io;
