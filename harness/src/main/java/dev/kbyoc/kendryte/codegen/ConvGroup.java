package dev.kbyoc.kendryte.codegen;

/**
 * One KPU layer's worth of Relay: a conv2d with its per-output-channel affine (bias_add and
 * batch_norm folded into scale and bias), activation and pooling, in float.
 *
 * @param weights OIHW float weights ({@code [out, depthwise ? 1 : in, k, k]})
 * @param scale per output channel multiplier applied after the convolution
 * @param bias per output channel addend applied after the multiplier
 * @param act 0 linear, 1 relu, 2 relu6
 * @param pool the kpu_pool_type_t (5 = left-top downsampling for a stride-2 conv)
 * @param name the Relay node that names this layer in messages
 */
public record ConvGroup(int inC, int outC, int h, int w, int k, boolean depthwise, float[] weights, double[] scale,
    double[] bias, int act, int pool, String name) {}
