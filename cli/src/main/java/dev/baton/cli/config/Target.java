package dev.baton.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The registry a command talks to, and where each part came from (so a refusal can name the token's origin).
 * Resolved by {@link #resolve}: flag, else environment, else the context ({@code --context} or the current one),
 * else the dev stack's {@code http://127.0.0.1:8090}. A context's token and CA go only to that context's
 * registry: with {@code --registry} or {@code BATON_REGISTRY_URL} the token must come from the flag or the
 * environment too, so a token is never sent to a registry it was not stored for.
 */
public record Target(String registry, String registrySource, String token, String tokenSource, Path ca,
                     String readToken) {

  public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8090";
  public static final String REGISTRY_ENV = "BATON_REGISTRY_URL";
  public static final String TOKEN_ENV = "BATON_TOKEN";
  public static final String CONTEXT_ENV = "BATON_CONTEXT";
  public static final String READ_TOKEN_ENV = "BATON_READ_TOKEN";

  /** What the global options said; null where not given. */
  public record Flags(String registry, String token, String context, Path ca) {
  }

  public static Target resolve(Flags flags, Map<String, String> env, ContextStore store) {
    String contextName = flags.context() != null ? flags.context() : blankToNull(env.get(CONTEXT_ENV));
    Optional<Context> ctx;
    if (contextName != null) {
      ctx = store.get(contextName);
      if (ctx.isEmpty()) {
        throw new IllegalArgumentException("no context '" + contextName + "' in " + store.file()
            + "; baton context list shows them, baton context add creates one");
      }
    } else {
      ctx = store.current();
    }
    String registry;
    String registrySource;
    boolean fromContext = false;
    if (flags.registry() != null) {
      registry = flags.registry();
      registrySource = "--registry";
    } else if (blankToNull(env.get(REGISTRY_ENV)) != null) {
      registry = env.get(REGISTRY_ENV);
      registrySource = REGISTRY_ENV;
    } else if (ctx.isPresent() && ctx.get().registry() != null) {
      registry = ctx.get().registry();
      registrySource = "context '" + ctx.get().name() + "'";
      fromContext = true;
    } else {
      registry = DEFAULT_REGISTRY;
      registrySource = "the default (the dev stack)";
    }
    registry = checkUrl(stripSlash(registry), registrySource);
    String token = null;
    String tokenSource = null;
    if (flags.token() != null) {
      token = flags.token();
      tokenSource = "--token";
    } else if (blankToNull(env.get(TOKEN_ENV)) != null) {
      token = env.get(TOKEN_ENV).trim();
      tokenSource = TOKEN_ENV;
    } else if (fromContext && ctx.get().token() != null) {
      token = ctx.get().token();
      tokenSource = "context '" + ctx.get().name() + "' in " + store.file();
    } else if (fromContext && ctx.get().tokenFile() != null) {
      token = readTokenFile(Path.of(ctx.get().tokenFile()), ctx.get().name());
      tokenSource = "the token file " + ctx.get().tokenFile() + " of context '" + ctx.get().name() + "'";
    }
    Path ca = flags.ca() != null ? flags.ca()
        : fromContext && ctx.get().ca() != null ? Path.of(ctx.get().ca()) : null;
    String readToken = blankToNull(env.get(READ_TOKEN_ENV)) != null ? env.get(READ_TOKEN_ENV).trim()
        : fromContext ? ctx.get().readToken() : null;
    return new Target(registry, registrySource, token, tokenSource, ca, readToken);
  }

  /** Where the token came from, for messages: "--token", "BATON_TOKEN", "context 'prod' in …", or none. */
  public String describeToken() {
    return token == null ? "no token (pass --token, set BATON_TOKEN or add a context with one)" : "the token from " + tokenSource;
  }

  static String readTokenFile(Path file, String context) {
    try {
      String t = Files.readString(file).trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("the token file " + file + " of context '" + context + "' is empty");
      }
      return t;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the token file " + file + " of context '" + context + "': "
          + e.getMessage(), e);
    }
  }

  static String checkUrl(String url, String source) {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("the registry URL from " + source + " must start with http:// or https://, got '"
          + url + "'");
    }
    return url;
  }

  private static String stripSlash(String s) {
    String t = s.trim();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
