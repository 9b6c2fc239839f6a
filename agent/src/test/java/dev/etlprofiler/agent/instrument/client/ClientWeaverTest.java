package dev.etlprofiler.agent.instrument.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The ByteBuddy fallback for the JDK's HttpClient (used when the ASM weaver fails on it) on this
 * JDK's own class file: its advice must bind to {@code send} and {@code sendAsync}, and record
 * through the same {@code WovenCalls} methods as the woven path, which read the response without
 * throwing.
 */
class ClientWeaverTest {
  private static final String WOVEN_CALLS = "dev/etlprofiler/core/WovenCalls";

  @Test
  void theJdkHttpClientFallbackCallsTheWovenPathsRecorder() throws Exception {
    byte[] original;
    Module http = ModuleLayer.boot().findModule("java.net.http").orElseThrow();
    try (InputStream in = http.getResourceAsStream(ClientTransformer.HTTP_CLIENT + ".class")) {
      assertNotNull(in, "the JDK's HttpClientFacade class file");
      original = in.readAllBytes();
    }

    byte[] woven = new ClientWeaver().weaveHttp(null, ClientTransformer.HTTP_CLIENT.replace('/', '.'), original);

    List<String> calls = new ArrayList<>();
    new ClassReader(woven).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String called, String calledDesc, boolean itf) {
            if (owner.equals(WOVEN_CALLS)) {
              calls.add(name + " -> " + called);
            }
          }
        };
      }
    }, 0);
    // send(request, handler) and the two sendAsync overloads: an enter and an exit each
    assertEquals(List.of("send -> enter", "send -> exit", "sendAsync -> enter", "sendAsync -> enter",
        "sendAsync -> exit", "sendAsync -> exit"), calls.stream().sorted().toList());
  }
}
