/**
 * The K210 kmodel v3 binary format as defined by the K210 SDK ({@code lib/drivers/include/kpu.h}:
 * {@code kpu_kmodel_header_t}, {@code kpu_model_output_t}, {@code kpu_model_layer_header_t}, the
 * {@code kpu_model_*_layer_argument_t} bodies and the {@code kpu_layer_argument_t} registers) and
 * emitted by nncase v0.1.0-rc5. {@link dev.kbyoc.kendryte.format.KmodelReader} validates every
 * length and offset before allocating; {@link dev.kbyoc.kendryte.format.KmodelWriter} reproduces
 * nncase's layout so that write(read(bytes)) is byte-identical.
 *
 * <p>May depend on: {@code ir}.
 */
package dev.kbyoc.kendryte.format;
