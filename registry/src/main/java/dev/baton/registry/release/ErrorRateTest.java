package dev.baton.registry.release;

/**
 * The one-sided test of "the canary's error rate is higher than stable's" (docs/registry-api.md, "Canary
 * analysis"). With enough errors and successes on both sides it is the pooled two-proportion z-test; when any
 * expected count of the 2×2 table is under 5 the normal approximation is poor, so the p-value is Fisher's exact
 * one-sided test instead (the hypergeometric tail, exact for any sample size). Pure.
 */
public final class ErrorRateTest {

  /** Which test gave the p-value, the z statistic (NaN for the exact test) and the one-sided p-value. */
  public record Result(String test, double z, double pValue) {
  }

  private ErrorRateTest() {
  }

  /** P(the canary's rate is this much higher or more | both have the same rate). */
  public static Result higher(long canaryErrors, long canaryRequests, long stableErrors, long stableRequests) {
    long n1 = canaryRequests;
    long n2 = stableRequests;
    long x1 = canaryErrors;
    long x2 = stableErrors;
    if (n1 <= 0 || n2 <= 0) {
      return new Result("none", Double.NaN, 1);
    }
    double pooled = (double) (x1 + x2) / (n1 + n2);
    double smallest = Math.min(Math.min(n1 * pooled, n1 * (1 - pooled)), Math.min(n2 * pooled, n2 * (1 - pooled)));
    if (smallest < 5) {
      return new Result("exact", Double.NaN, fisherUpperTail(x1, n1, x1 + x2, n1 + n2));
    }
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
    double z = ((double) x1 / n1 - (double) x2 / n2) / se;
    return new Result("z", z, upperNormal(z));
  }

  /** P(X >= x) for X hypergeometric: {@code k} errors among {@code total} requests, {@code n} of them the canary's. */
  static double fisherUpperTail(long x, long n, long k, long total) {
    if (k == 0) {
      return 1;
    }
    double logAll = logChoose(total, n);
    double p = 0;
    for (long i = x; i <= Math.min(k, n); i++) {
      if (n - i > total - k) {
        continue;
      }
      p += Math.exp(logChoose(k, i) + logChoose(total - k, n - i) - logAll);
    }
    return Math.min(1, p);
  }

  /** P(Z >= z) for a standard normal Z (Numerical Recipes' erfc, fractional error under 1.2e-7). */
  static double upperNormal(double z) {
    return erfc(z / Math.sqrt(2)) / 2;
  }

  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  static double logChoose(long n, long k) {
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  private static double logFactorial(long n) {
    if (n < 2) {
      return 0;
    }
    if (n < 64) {
      double s = 0;
      for (int i = 2; i <= n; i++) {
        s += Math.log(i);
      }
      return s;
    }
    // Stirling's series: error under 1e-12 from n = 64 on.
    double x = n;
    return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
  }
}
