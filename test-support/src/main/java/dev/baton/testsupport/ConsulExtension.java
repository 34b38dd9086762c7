package dev.baton.testsupport;

import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Consul agent per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ConsulExtension CONSUL = new ConsulExtension();
 *
 * @Test
 * void putsRoutes(Vertx vertx) { ConsulClient consul = CONSUL.client(vertx); ... }
 * }</pre>
 *
 * <p>Guarantees: the agent is ready before the class's {@code @BeforeAll} methods run and is stopped
 * and deleted after its {@code @AfterAll} methods; {@code @Nested}
 * classes share the outer class's agent. Clients handed out by {@link #client(Vertx)} are closed after
 * the class. Test methods and constructors may declare a {@link ConsulProcess} parameter.
 * Must be registered on a {@code static} field: JUnit runs class callbacks only for those.
 */
public final class ConsulExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final ConsulProcess.Storage storage;
  private final ConsulSecurity.Mode mode;
  private final List<ConsulClient> clients = new ArrayList<>();
  private ConsulProcess process;
  private ExtensionContext owner;

  /** An extension running {@code consul agent -dev} (in-memory; a restart comes back empty). */
  public ConsulExtension() {
    this(ConsulProcess.Storage.IN_MEMORY);
  }

  /** An extension with the given storage; {@link ConsulProcess.Storage#ON_DISK} survives restarts. */
  public ConsulExtension(ConsulProcess.Storage storage) {
    this(storage, ConsulSecurity.Mode.NONE);
  }

  /**
   * An extension whose agent enforces ACLs (default deny), and HTTPS with client certificates in
   * {@link ConsulSecurity.Mode#ACL_HTTPS}; {@link #client(Vertx)} uses the management token.
   */
  public ConsulExtension(ConsulProcess.Storage storage, ConsulSecurity.Mode mode) {
    this.storage = storage;
    this.mode = mode;
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (process == null) {
      process = ConsulProcess.start(storage, mode);
      owner = context;
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (context != owner) {
      return; // a @Nested class ends; the outer class still needs the agent
    }
    try {
      clients.forEach(ConsulClient::close);
      clients.clear();
    } finally {
      process.close();
      process = null;
      owner = null;
    }
  }

  /** The running agent, for {@link ConsulProcess#stop()} and {@link ConsulProcess#restart()}. */
  public synchronized ConsulProcess process() {
    if (process == null) {
      throw new IllegalStateException("Consul is not running: register the extension on a static field "
          + "(@RegisterExtension static final ConsulExtension CONSUL = new ConsulExtension())");
    }
    return process;
  }

  /** The agent's host, {@code 127.0.0.1}. */
  public String host() {
    return process().host();
  }

  /** The agent's HTTP port. */
  public int port() {
    return process().httpPort();
  }

  /** The agent's HTTP base URL. */
  public String httpAddress() {
    return process().httpAddress();
  }

  /** Client options pointing at the agent's HTTP port, with the management token when ACLs are on. */
  public ConsulClientOptions clientOptions() {
    return new ConsulClientOptions().setHost(host()).setPort(port())
        .setAclToken(process().security().managementToken());
  }

  /** A client of the agent on {@code vertx}; closed by the extension after the class. */
  public synchronized ConsulClient client(Vertx vertx) {
    ConsulClient client = ConsulClient.create(vertx, clientOptions());
    clients.add(client);
    return client;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ConsulProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return process();
  }
}
