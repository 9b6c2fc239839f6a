package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.agent.instrument.Bytes;
import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Finds the client classes to instrument without ByteBuddy: the JDK's HTTP client facade and
 * HttpURLConnection, Apache HttpClient, OkHttp and the Kafka clients by name, JDBC drivers by the
 * {@code java/sql/} references in their bytes. The {@link ClientWeaver} (ByteBuddy) is created on
 * the first candidate.
 */
final class ClientTransformer implements ClassFileTransformer {
  static final String HTTP_CLIENT = "jdk/internal/net/http/HttpClientFacade";
  static final String URL_CONNECTION = "sun/net/www/protocol/http/HttpURLConnection";
  static final String APACHE_INTERNAL =
      "org/apache/hc/client5/http/impl/classic/InternalHttpClient";
  static final String APACHE_MINIMAL = "org/apache/hc/client5/http/impl/classic/MinimalHttpClient";
  static final String APACHE_ASYNC_H1 =
      "org/apache/hc/client5/http/impl/async/HttpAsyncMainClientExec";
  static final String APACHE_ASYNC_H2 =
      "org/apache/hc/client5/http/impl/async/H2AsyncMainClientExec";
  static final String APACHE4_INTERNAL = "org/apache/http/impl/client/InternalHttpClient";
  static final String APACHE4_MINIMAL = "org/apache/http/impl/client/MinimalHttpClient";
  static final String APACHE4_ABSTRACT = "org/apache/http/impl/client/AbstractHttpClient";
  static final String OKHTTP_CALL = "okhttp3/internal/connection/RealCall";

  /** OkHttp 3.x's call class. */
  static final String OKHTTP3_CALL = "okhttp3/RealCall";

  static final String KAFKA_PRODUCER = "org/apache/kafka/clients/producer/KafkaProducer";
  static final String KAFKA_CONSUMER = "org/apache/kafka/clients/consumer/KafkaConsumer";
  private static final byte[] JAVA_SQL = Bytes.utf8("java/sql/");

  private final java.lang.instrument.Instrumentation inst;
  private final boolean http;
  private final boolean jdbc;
  private final boolean kafka;
  private volatile ClientWeaver weaver;

  /** The JDK's HTTP clients and JDBC drivers: ASM only, no ByteBuddy (see FastClientWeaver). */
  private volatile FastClientWeaver fast;

  private volatile boolean jdkModulesRead;

  ClientTransformer(
      java.lang.instrument.Instrumentation inst, boolean http, boolean jdbc, boolean kafka) {
    this.inst = inst;
    this.http = http;
    this.jdbc = jdbc;
    this.kafka = kafka;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String name,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    return transform(loader, name, bytes);
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    return transform(loader, name, bytes);
  }

  private byte[] transform(ClassLoader loader, String name, byte[] bytes) {
    if (name == null || bytes == null) {
      return null;
    }
    try {
      if (http && (name.equals(HTTP_CLIENT) || name.equals(URL_CONNECTION))) {
        try {
          readCoreFromJdkModules();
          return fast().weaveHttp(name, bytes);
        } catch (RuntimeException e) {
          AgentLog.debug("weaving " + name + " with ByteBuddy: " + e);
          return weaver().weaveHttp(loader, name.replace('/', '.'), bytes);
        }
      }
      if (http
          && (name.equals(APACHE_INTERNAL)
              || name.equals(APACHE_MINIMAL)
              || name.equals(OKHTTP_CALL)
              || name.equals(OKHTTP3_CALL)
              || name.equals(APACHE4_INTERNAL)
              || name.equals(APACHE4_MINIMAL)
              || name.equals(APACHE4_ABSTRACT)
              || name.equals(APACHE_ASYNC_H1)
              || name.equals(APACHE_ASYNC_H2))) {
        return weaver().weaveHttp(loader, name.replace('/', '.'), bytes);
      }
      if (kafka && (name.equals(KAFKA_PRODUCER) || name.equals(KAFKA_CONSUMER))) {
        return weaver().weaveKafka(loader, name.replace('/', '.'), bytes);
      }
      if (jdbc
          && loader != null
          && !name.startsWith("java/")
          && !name.startsWith("jdk/")
          && !name.startsWith("sun/")
          && !name.startsWith("dev/etlprofiler/")
          && !name.startsWith("net/bytebuddy/")
          && Bytes.contains(bytes, JAVA_SQL)) {
        try {
          return fast().weaveJdbc(loader, name, bytes);
        } catch (RuntimeException e) {
          AgentLog.debug("weaving " + name + " with ByteBuddy: " + e);
          return weaver().weaveJdbc(loader, name.replace('/', '.'), bytes);
        }
      }
      return null;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument client class " + name + ": " + t);
      return null;
    }
  }

  /** Made at the first candidate class, not at start-up: it loads ASM. */
  private FastClientWeaver fast() {
    FastClientWeaver f = fast;
    if (f == null) {
      synchronized (this) {
        if (fast == null) {
          fast = new FastClientWeaver();
        }
        f = fast;
      }
    }
    return f;
  }

  /**
   * Code woven into java.base and java.net.http calls dev.etlprofiler.core, which lives in the boot
   * loader's unnamed module: those named modules must read it. Done before the first such class is
   * defined rather than at start-up, where the module redefinition (lambdas inside the JDK's
   * Instrumentation) cost a few ms of every job's start-up.
   */
  private void readCoreFromJdkModules() {
    if (jdkModulesRead) {
      return;
    }
    synchronized (this) {
      if (!jdkModulesRead) {
        Module core = dev.etlprofiler.core.Core.class.getModule();
        Module base = Object.class.getModule();
        inst.redefineModule(
            base,
            java.util.Set.of(core),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Set.of(),
            java.util.Map.of());
        java.util.Optional<Module> http = ModuleLayer.boot().findModule("java.net.http");
        if (http.isPresent()) {
          inst.redefineModule(
              http.get(),
              java.util.Set.of(core),
              java.util.Map.of(),
              java.util.Map.of(),
              java.util.Set.of(),
              java.util.Map.of());
        }
        jdkModulesRead = true;
      }
    }
  }

  private ClientWeaver weaver() {
    ClientWeaver w = weaver;
    if (w == null) {
      synchronized (this) {
        if (weaver == null) {
          weaver = new ClientWeaver();
        }
        w = weaver;
      }
    }
    return w;
  }
}
