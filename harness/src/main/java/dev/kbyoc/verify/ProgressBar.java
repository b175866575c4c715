package dev.kbyoc.verify;

import java.io.PrintStream;

/**
 * A one-line text progress bar on a terminal stream: {@code [=====>    ] 45/200 3 failed 120.5/s}.
 * Redraws at most every 100 ms with a carriage return and ends with a newline. (The
 * {@code me.tongfei:progressbar} library is not among the packages this project may use, so this
 * small class does the same job.)
 */
public final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private long done;
  private long failed;

  public ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** One more case finished. Thread-safe. */
  public synchronized void step(boolean passed) {
    done++;
    if (!passed) {
      failed++;
    }
    long now = System.nanoTime();
    if (now - lastDraw > 100_000_000L || done == total) {
      lastDraw = now;
      draw();
    }
  }

  /** The line as drawn now (without the carriage return). */
  public synchronized String line() {
    int filled = (int) Math.min(WIDTH, done * WIDTH / total);
    StringBuilder sb = new StringBuilder(label).append(" [");
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    return sb.append("] ").append(done).append('/').append(total).append(' ').append(failed).append(" failed ")
        .append(String.format(java.util.Locale.ROOT, "%.1f/s", done / secs)).toString();
  }

  private void draw() {
    out.print('\r' + line());
    out.flush();
  }

  @Override
  public synchronized void close() {
    draw();
    out.println();
    out.flush();
  }
}
