package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * Zero-code profiling of client calls: the JDK's {@code HttpClient.send} and {@code
 * HttpURLConnection}, Apache HttpClient 5 and OkHttp calls, JDBC statements, batches and commits of
 * any driver, Kafka producer sends and consumer polls and commits. Switched by {@code
 * clients.http.enabled}, {@code clients.jdbc.enabled} and {@code clients.kafka.enabled}.
 */
public final class ClientInstrumentation {
  private ClientInstrumentation() {}

  public static void install(Instrumentation inst, boolean http, boolean jdbc, boolean kafka) {
    if (!http && !jdbc && !kafka) {
      return;
    }
    inst.addTransformer(new ClientTransformer(inst, http, jdbc, kafka), true);
    if (http) {
      // JDK classes loaded before the transformer (an agent attached late, or another agent's
      // premain)
      String client = ClientTransformer.HTTP_CLIENT.replace('/', '.');
      String connection = ClientTransformer.URL_CONNECTION.replace('/', '.');
      for (Class<?> c : inst.getAllLoadedClasses()) {
        if (c.getClassLoader() != null || c.isArray() || c.isPrimitive()) {
          continue;
        }
        String name = c.getName();
        if (name.equals(client) || name.equals(connection)) {
          try {
            inst.retransformClasses(c);
          } catch (Throwable t) {
            AgentLog.debug("could not retransform " + c.getName() + ": " + t);
          }
        }
      }
    }
  }
}
