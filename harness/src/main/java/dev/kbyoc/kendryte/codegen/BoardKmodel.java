package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.kendryte.format.Kmodel;

/**
 * A compiled region as a K210 board runs it: the kmodel and, when its first layer is a K210_CONV
 * reading uint8 from KPU RAM, the input quantization the host applies first (null when the kmodel
 * takes the float input itself: FULLY_CONNECTED or, kbyoc only, QUANTIZE first).
 */
public record BoardKmodel(Kmodel kmodel, QuantParam inputQuant) {}
