package dev.etlprofiler.agent.instrument.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ByteBuddy fallback for the JDK's HttpClient (used when the ASM weaver fails on it) on this
 * JDK's own class file: its advice must bind to {@code send} and {@code sendAsync}, and record
 * through the same {@code WovenCalls} methods as the woven path, which read the response without
 * throwing.
 */
class ClientWeaverTest {
  @Test
  void theJdkHttpClientFallbackCallsTheWovenPathsRecorder() throws Exception {
    byte[] original;
    Module http = ModuleLayer.boot().findModule("java.net.http").orElseThrow();
    try (InputStream in = http.getResourceAsStream(ClientTransformer.HTTP_CLIENT + ".class")) {
      assertNotNull(in, "the JDK's HttpClientFacade class file");
      original = in.readAllBytes();
    }

    byte[] woven =
        new ClientWeaver()
            .weaveHttp(null, ClientTransformer.HTTP_CLIENT.replace('/', '.'), original);

    // send(request, handler) and the two sendAsync overloads: an enter and an exit each
    assertEquals(
        List.of(
            "send -> enter",
            "send -> exit",
            "sendAsync -> enter",
            "sendAsync -> enter",
            "sendAsync -> exit",
            "sendAsync -> exit"),
        WovenCallSites.of(woven));
  }
}
