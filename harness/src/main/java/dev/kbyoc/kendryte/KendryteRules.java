package dev.kbyoc.kendryte;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.kendryte.sim.KpuLayout;
import dev.kbyoc.kendryte.sim.KpuRam;
import java.util.Arrays;
import java.util.Set;

/**
 * The one rule set of the {@code kendryte} target: what AnnotateTarget may offload, what the
 * codegen accepts and what the simulator's KPU limits are. {@link #check(Call)} returns null when a
 * typed call is supported, else a one-line reason naming the violated limit (for {@code partition
 * --explain}).
 *
 * <p>KPU ops (from the K210's {@code kpu_layer_argument_t}): nn.conv2d NCHW/OIHW float32, batch
 * 1, kernel 1x1 (padding 0) or 3x3 (padding 1 on every side), dilation 1, groups 1 or depthwise
 * (groups = in = out channels), in/out channels at most {@value #MAX_CHANNELS}, input height in
 * [{@value #MIN_HEIGHT}, {@value #MAX_HEIGHT}] and width in [{@value #MIN_WIDTH},
 * {@value #MAX_WIDTH}], stride 1, or stride 2 with even height and width (done as a stride-1 conv
 * plus left-top downsampling, exact only for symmetric padding, so TF-style asymmetric "SAME"
 * padding stays on the host), input and output maps together within the 2 MiB KPU RAM; the ops
 * fused into a KPU layer (nn.bias_add, nn.batch_norm, nn.relu, clip to [0, 6], per-channel add)
 * after a supported conv2d, or alone (an identity KPU layer) on NCHW maps within the same shape
 * limits; nn.max_pool2d 2x2/s2, 4x4/s4 or 2x2/s1 (padding
 * (0, 0, 1, 1)) and nn.avg_pool2d 2x2/s2 or 4x4/s4, unpadded, not ceil_mode. Weights and
 * bias/batchnorm parameters may be parameters here (partitioning before binding); the codegen
 * needs them bound as constants, as in the flow where bind_params_by_name runs first.
 *
 * <p>CPU ops ({@link KendryteCpuRules}; kmodel v3 CPU layers): add of two tensors of one shape
 * (relu/clip(0, 6) on it fused), concatenate on the channel axis, image.resize2d nearest
 * (asymmetric, floor; power-of-two upscale or integer downscale), nn.global_avg_pool2d,
 * nn.batch_flatten, nn.dense on [1, N] (bias_add / rank-1 add / relu / clip(0, 6) after it fused),
 * nn.softmax over a [1, N] vector. A kendryte region must have one input (a kmodel has one) and may
 * have several outputs; see {@link dev.kbyoc.kendryte.codegen.KendryteCodegen#regionProblem}.
 */
public final class KendryteRules {
  /** Largest channel count of a KPU layer ({@code i_ch_num}/{@code o_ch_num} are 10 bits). */
  public static final int MAX_CHANNELS = 1024;
  public static final int MIN_HEIGHT = 4;
  /** Largest KPU input height supported by the rules (the register allows 512). */
  public static final int MAX_HEIGHT = 256;
  public static final int MIN_WIDTH = 4;
  /** Largest KPU input width supported by the rules (the register allows 1024). */
  public static final int MAX_WIDTH = 512;
  /** KPU RAM in bytes. */
  public static final int KPU_RAM_BYTES = KpuRam.BYTES;

  private static final Set<String> FUSED = Set.of("nn.bias_add", "nn.batch_norm", "nn.relu", "clip");

  private KendryteRules() {}

  /** Whether a typed call may go to the Kendryte target. */
  public static boolean isSupported(Call call) {
    return check(call) == null;
  }

  /** Null when the typed call is supported, else the reason it stays on the host. */
  public static String check(Call call) {
    if (!(call.op() instanceof Op op)) {
      return "not an operator call";
    }
    String name = op.name();
    for (int i = 0; i < call.args().size(); i++) {
      String r = floatTensor(call.arg(i).checkedType(), "argument " + i, i == 0);
      if (r != null) {
        return name + ": " + r;
      }
    }
    String r = floatTensor(call.checkedType(), "result", true);
    if (r != null) {
      return name + ": " + r;
    }
    Attrs at = call.fullAttrs();
    return switch (name) {
      case "nn.conv2d" -> conv2d(call, at);
      case "nn.max_pool2d", "nn.avg_pool2d" -> pool(call, at, name.equals("nn.max_pool2d"));
      case "concatenate" -> KendryteCpuRules.concatenate(call, at);
      case "image.resize2d" -> KendryteCpuRules.resize(call, at);
      case "nn.global_avg_pool2d" -> KendryteCpuRules.globalAvgPool(call, at);
      case "nn.batch_flatten" -> null;
      case "nn.dense" -> KendryteCpuRules.dense(call);
      case "nn.softmax" -> KendryteCpuRules.softmax(call, at);
      default -> {
        if (FUSED.contains(name)) {
          yield fused(call, at, name);
        }
        if (name.equals("add")) {
          yield biasAdd(call);
        }
        yield name + ": not supported by the kendryte target";
      }
    };
  }

  private static String floatTensor(Type t, String what, boolean batch) {
    if (t instanceof TupleType tup) {
      for (int i = 0; i < tup.fields().size(); i++) {
        String r = floatTensor(tup.fields().get(i), what + "." + i, batch);
        if (r != null) {
          return r;
        }
      }
      return null;
    }
    if (!(t instanceof TensorType tt)) {
      return what + " is not a typed tensor (run InferType first)";
    }
    if (tt.dtype() != DType.FLOAT32) {
      return what + " dtype " + tt.dtype() + " is not float32";
    }
    if (batch && tt.rank() > 1 && tt.dim(0) != 1) {
      return what + " batch " + tt.dim(0) + " is not 1";
    }
    return null;
  }

  /** Checks an NCHW map's channel and spatial limits; null when fine. */
  public static String mapLimits(String name, int[] s) {
    if (s.length != 4) {
      return name + ": input rank " + s.length + " is not 4 (NCHW)";
    }
    if (s[1] > MAX_CHANNELS) {
      return name + ": " + s[1] + " channels exceed the KPU's " + MAX_CHANNELS;
    }
    if (s[2] < MIN_HEIGHT || s[2] > MAX_HEIGHT) {
      return name + ": height " + s[2] + " is outside [" + MIN_HEIGHT + ", " + MAX_HEIGHT + "]";
    }
    if (s[3] < MIN_WIDTH || s[3] > MAX_WIDTH) {
      return name + ": width " + s[3] + " is outside [" + MIN_WIDTH + ", " + MAX_WIDTH + "]";
    }
    return null;
  }

  /**
   * {@link #mapLimits} plus the KPU RAM of an identity KPU layer (a fused op or pool with no conv2d
   * under it): its input and output maps, each at most the input's size, within the 2 MiB.
   */
  public static String identityLimits(String name, int[] s) {
    String r = mapLimits(name, s);
    if (r != null) {
      return r;
    }
    long need = 2 * KpuLayout.lines(s[3], s[2], s[1]) * KpuLayout.LINE;
    return need <= KPU_RAM_BYTES ? null : name + ": as its own KPU layer its input and output maps need up to "
        + need + " bytes of KPU RAM, more than " + KPU_RAM_BYTES;
  }

  private static int[] pad4(int[] p) {
    return switch (p.length) {
      case 1 -> new int[] {p[0], p[0], p[0], p[0]};
      case 2 -> new int[] {p[0], p[1], p[0], p[1]};
      default -> p;
    };
  }

  private static String conv2d(Call call, Attrs at) {
    String n = "nn.conv2d";
    if (!at.getString("data_layout").equals("NCHW") || !at.getString("kernel_layout").equals("OIHW")) {
      return n + ": layout " + at.getString("data_layout") + "/" + at.getString("kernel_layout") + " is not NCHW/OIHW";
    }
    int[] in = call.arg(0).tensorType().shape();
    int[] w = call.arg(1).tensorType().shape();
    int[] out = call.tensorType().shape();
    String r = mapLimits(n, in);
    if (r != null) {
      return r;
    }
    if (out[1] > MAX_CHANNELS) {
      return n + ": " + out[1] + " output channels exceed the KPU's " + MAX_CHANNELS;
    }
    int k = w[2];
    if (w[2] != w[3] || (k != 1 && k != 3)) {
      return n + ": kernel " + w[2] + "x" + w[3] + " is not 1x1 or 3x3";
    }
    int[] dil = at.getInts("dilation");
    if (Arrays.stream(dil).anyMatch(d -> d != 1)) {
      return n + ": dilation " + Arrays.toString(dil) + " is not 1";
    }
    int groups = at.getInt("groups");
    if (groups != 1 && !(groups == in[1] && groups == out[1])) {
      return n + ": groups " + groups + " is neither 1 nor depthwise (groups = in = out channels)";
    }
    int[] pad = pad4(at.getInts("padding"));
    int want = k == 3 ? 1 : 0;
    if (Arrays.stream(pad).anyMatch(p -> p != want)) {
      return n + ": padding " + Arrays.toString(pad) + " is not " + want + " on every side (the KPU pads "
          + (k == 3 ? "3x3 by 1" : "1x1 by 0") + "; asymmetric TF 'SAME' padding stays on the host)";
    }
    int[] st = at.getInts("strides");
    int sh = st[0];
    int sw = st.length > 1 ? st[1] : st[0];
    if (!((sh == 1 && sw == 1) || (sh == 2 && sw == 2))) {
      return n + ": strides " + Arrays.toString(st) + " are not (1, 1) or (2, 2)";
    }
    if (sh == 2 && (in[2] % 2 != 0 || in[3] % 2 != 0)) {
      return n + ": stride 2 needs even height and width for left-top downsampling, got " + in[2] + "x" + in[3];
    }
    long need = (KpuLayout.lines(in[3], in[2], in[1]) + KpuLayout.lines(in[3], in[2], out[1])) * KpuLayout.LINE;
    if (need > KPU_RAM_BYTES) {
      return n + ": input and output maps need " + need + " bytes of KPU RAM, more than " + KPU_RAM_BYTES;
    }
    return null;
  }

  /**
   * The supported conv2d a fused op or pool extends (through bias_add, batch_norm, add, relu,
   * clip), or null: then the op becomes its own identity KPU layer and its input must satisfy the
   * map limits itself.
   */
  private static Call producerConv(Expr e) {
    while (true) {
      if (e instanceof TupleGetItem t && t.index() == 0 && t.tuple() instanceof Call bn && bn.isOp("nn.batch_norm")) {
        e = bn.arg(0);
      } else if (e instanceof Call c && c.op() instanceof Op op && FUSED.contains(op.name())) {
        e = c.arg(0);
      } else if (e instanceof Call c && c.isOp("add") && !c.args().isEmpty() && !isTensorAdd(c)) {
        e = c.arg(0);
      } else {
        break;
      }
    }
    return e instanceof Call c && c.isOp("nn.conv2d") && check(c) == null ? c : null;
  }

  private static String pool(Call call, Attrs at, boolean max) {
    String n = max ? "nn.max_pool2d" : "nn.avg_pool2d";
    if (!at.getString("layout").equals("NCHW")) {
      return n + ": layout " + at.getString("layout") + " is not NCHW";
    }
    Call conv = producerConv(call.arg(0));
    if (conv != null && conv.fullAttrs().getInts("strides")[0] == 2) {
      return n + ": follows a stride-2 nn.conv2d; the KPU has one downsampling stage per layer";
    }
    String r = conv != null ? null : identityLimits(n, call.arg(0).tensorType().shape());
    if (r != null) {
      return r;
    }
    if (at.getBool("ceil_mode")) {
      return n + ": ceil_mode is not supported by the KPU pool";
    }
    int[] ps = at.getInts("pool_size");
    int[] st = at.getInts("strides");
    int[] pad = pad4(at.getInts("padding"));
    int p = ps[0];
    int s = st[0];
    boolean square = ps.length == 1 || ps[1] == p;
    boolean sq = st.length == 1 || st[1] == s;
    boolean unpadded = Arrays.stream(pad).allMatch(v -> v == 0);
    if (square && sq && unpadded && ((p == 2 && s == 2) || (p == 4 && s == 4))) {
      return null;
    }
    if (max && square && sq && p == 2 && s == 1 && Arrays.equals(pad, new int[] {0, 0, 1, 1})) {
      return null;
    }
    return n + ": pool " + Arrays.toString(ps) + " stride " + Arrays.toString(st) + " padding " + Arrays.toString(pad)
        + " is not a KPU pool (2x2/s2, 4x4/s4" + (max ? ", 2x2/s1 padded (0,0,1,1)" : "") + ")";
  }

  private static String fused(Call call, Attrs at, String n) {
    // After a dense the op folds into FULLY_CONNECTED. An activation on a tensor add is fused into
    // QUANTIZED_ADD in a uint8 kmodel but is an identity KPU layer in a float one, so it takes the
    // identity layer's limits like any op with no conv2d under it.
    String r = producerConv(call.arg(0)) != null || producerDense(call.arg(0)) ? null
        : identityLimits(n, call.arg(0).tensorType().shape());
    if (r != null) {
      return r;
    }
    if (n.equals("clip") && !(at.getDouble("a_min") == 0 && at.getDouble("a_max") == 6)) {
      return "clip: only clip(0, 6) (relu6) maps to a KPU activation, got [" + at.getDouble("a_min") + ", "
          + at.getDouble("a_max") + "]";
    }
    if ((n.equals("nn.bias_add") || n.equals("nn.batch_norm")) && at.getInt("axis") != 1) {
      return n + ": axis " + at.getInt("axis") + " is not the channel axis 1";
    }
    return null;
  }

  /** Whether e is an {@code add} of two tensors of one shape (QUANTIZED_ADD, which absorbs relu/relu6). */
  private static boolean isTensorAdd(Expr e) {
    return e instanceof Call c && c.isOp("add") && c.args().size() == 2 && c.arg(1).checkedType() instanceof TensorType b
        && c.arg(0).checkedType() instanceof TensorType a && Arrays.equals(a.shape(), b.shape());
  }

  /** Whether e is nn.dense, possibly under bias_add/batch_norm (they fold into FULLY_CONNECTED). */
  private static boolean producerDense(Expr e) {
    while (true) {
      if (e instanceof TupleGetItem t && t.index() == 0 && t.tuple() instanceof Call bn && bn.isOp("nn.batch_norm")) {
        e = bn.arg(0);
      } else if (e instanceof Call c && (c.isOp("nn.bias_add") || c.isOp("add")) && !c.args().isEmpty()
          && !isTensorAdd(c)) {
        e = c.arg(0);
      } else {
        return e instanceof Call c && c.isOp("nn.dense");
      }
    }
  }

  /**
   * {@code add} is offloaded as a per-channel bias ({@code [1, C, 1, 1]} or {@code [C, 1, 1]}, fused
   * into a KPU layer), as a bias of a dense, or as the sum of two tensors of one shape (a CPU layer).
   */
  private static String biasAdd(Call call) {
    if (isTensorAdd(call)) {
      return KendryteCpuRules.tensorAdd(call);
    }
    if (producerDense(call.arg(0)) && call.arg(1).tensorType().rank() == 1) {
      return null;
    }
    String r = producerConv(call.arg(0)) != null ? null : identityLimits("add", call.arg(0).tensorType().shape());
    if (r != null) {
      return r;
    }
    int c = call.arg(0).tensorType().dim(1);
    int[] b = call.arg(1).tensorType().shape();
    boolean perChannel = b.length >= 3 && b.length <= 4 && b[b.length - 1] == 1
        && b[b.length - 2] == 1 && b[b.length - 3] == c && (b.length == 3 || b[0] == 1);
    return perChannel ? null : "add: only a per-channel bias or the sum of two tensors of one shape is offloaded, got "
        + Arrays.toString(call.arg(0).tensorType().shape()) + " + " + Arrays.toString(b);
  }
}
