package dev.kbyoc.runtime.kernels;

/**
 * The geometry of one NCHW / OIHW convolution: input channels and size, per-group channel counts,
 * kernel size, output channels and size, strides, dilations and the top / left padding.
 */
record Geo(int inC, int inH, int inW, int inPerGroup, int kh, int kw, int outPerGroup, int outC, int outH, int outW,
    int sh, int sw, int dh, int dw, int top, int left) {}
