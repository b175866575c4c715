package dev.kbyoc.kendryte.format;

/** One {@code kpu_model_output_t}: where an output lives in main memory and its byte size. */
public record KmodelOutput(long address, long size) {}
