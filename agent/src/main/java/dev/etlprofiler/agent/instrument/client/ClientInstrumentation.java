package dev.etlprofiler.agent.instrument.client;

import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Core;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Zero-code profiling of client calls: the JDK's {@code HttpClient.send} and {@code
 * HttpURLConnection}, Apache HttpClient 5 and OkHttp calls, JDBC statements, batches and commits
 * of any driver, Kafka producer sends and consumer polls and commits. Switched by {@code
 * clients.http.enabled}, {@code clients.jdbc.enabled} and {@code clients.kafka.enabled}.
 */
public final class ClientInstrumentation {
  private ClientInstrumentation() {}

  public static void install(Instrumentation inst, boolean http, boolean jdbc, boolean kafka) {
    if (!http && !jdbc && !kafka) {
      return;
    }
    if (http) {
      // advice inlined into java.base and java.net.http calls dev.etlprofiler.core, which lives in
      // the boot loader's unnamed module: those named modules must read it
      Module core = Core.class.getModule();
      for (Module m : new Module[] {Object.class.getModule(), java.net.http.HttpClient.class.getModule()}) {
        inst.redefineModule(m, Set.of(core), Map.of(), Map.of(), Set.of(), Map.of());
      }
    }
    inst.addTransformer(new ClientTransformer(http, jdbc, kafka), true);
    if (http) {
      for (Class<?> c : inst.getAllLoadedClasses()) {
        String name = c.getName().replace('.', '/');
        if (name.equals(ClientTransformer.HTTP_CLIENT) || name.equals(ClientTransformer.URL_CONNECTION)) {
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
