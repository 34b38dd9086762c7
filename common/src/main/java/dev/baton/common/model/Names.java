package dev.baton.common.model;

import java.util.regex.Pattern;

/** The naming rules of DESIGN.md §9, applied identically by every module. */
public final class Names {

  /** App names: lowercase DNS-label style, up to 63 characters. */
  public static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** Versions: semver and friends, up to 64 characters, no slashes or spaces. */
  public static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,63}");
  /** Lowercase hex sha256 (uppercase accepted and normalised by callers). */
  public static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  /** HTTP header names (RFC 9110 token). */
  public static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  /** Environment variable names. */
  public static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  /**
   * Host user names ({@code runAs}): the portable shape useradd accepts, lowercase, at most 32 characters;
   * never all digits, so a name can never be taken for a uid.
   */
  public static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  public static final String USER_RULE = "must match [a-z_][a-z0-9_-]{0,31} (a user name of the agent's host)";

  private Names() {
  }

  public static boolean isApp(String s) {
    return s != null && APP.matcher(s).matches();
  }

  public static boolean isVersion(String s) {
    return s != null && VERSION.matcher(s).matches();
  }

  /** Throws a {@link ValidationException} unless {@code app} is a valid app name. */
  public static String requireApp(String app) {
    if (!isApp(app)) {
      throw new ValidationException(java.util.List.of(new FieldError("app", appMessage(app))));
    }
    return app;
  }

  /** Throws a {@link ValidationException} unless {@code version} is a valid version. */
  public static String requireVersion(String version) {
    if (!isVersion(version)) {
      throw new ValidationException(java.util.List.of(new FieldError("version", versionMessage(version))));
    }
    return version;
  }

  static String appMessage(Object value) {
    return "app name '" + value + "' must match [a-z0-9][a-z0-9-]{0,62}";
  }

  static String versionMessage(Object value) {
    return "version '" + value + "' must match [0-9A-Za-z][0-9A-Za-z._-]{0,63}";
  }
}
