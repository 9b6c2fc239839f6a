package dev.etlprofiler.agent.instrument.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.agent.instrument.weave.WovenCallSites;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HTTP clients woven with ASM from their real class files: the calls the woven code makes
 * to {@code core.http.HttpCalls}.
 */
class HttpLibraryTest {
  private static byte[] jdkClass(String module, String internalName) throws Exception {
    Module m = ModuleLayer.boot().findModule(module).orElseThrow();
    try (InputStream in = m.getResourceAsStream(internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }

  @Test
  void theJdkHttpClientsSendAndSendAsyncAreWoven() throws Exception {
    byte[] woven =
        HttpLibrary.weaveJdk(
            HttpLibrary.HTTP_CLIENT, jdkClass("java.net.http", HttpLibrary.HTTP_CLIENT));
    // send(request, handler) and the two sendAsync overloads: one enter each, one exit where it
    // returns and one in the handler for what it throws
    assertEquals(
        List.of(
            "send -> enter",
            "send -> exit",
            "send -> exit",
            "sendAsync -> enter",
            "sendAsync -> enter",
            "sendAsync -> exit",
            "sendAsync -> exit",
            "sendAsync -> exit",
            "sendAsync -> exit"),
        WovenCallSites.of(woven, "http/HttpCalls"));
  }

  @Test
  void httpUrlConnectionsGetInputStreamIsWovenWithItsOwnResponseState() throws Exception {
    byte[] woven =
        HttpLibrary.weaveJdk(
            HttpLibrary.URL_CONNECTION, jdkClass("java.base", HttpLibrary.URL_CONNECTION));
    List<String> calls = WovenCallSites.of(woven, "http/HttpCalls");
    assertEquals(1, calls.stream().filter("getInputStream -> noResponseYet"::equals).count());
    assertEquals(1, calls.stream().filter("getInputStream -> enter"::equals).count());
    // one exit before each of its returns and one in the handler for what it throws
    assertTrue(
        calls.stream().filter("getInputStream -> exit"::equals).count() >= 2, calls.toString());
    assertEquals(
        calls.size(),
        calls.stream().filter(c -> c.startsWith("getInputStream")).count(),
        "only there");
  }
}
