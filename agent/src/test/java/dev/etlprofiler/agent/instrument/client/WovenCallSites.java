package dev.etlprofiler.agent.instrument.client;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** The calls a woven class file makes to the recording core's {@code WovenCalls}. */
final class WovenCallSites {
  private static final String WOVEN_CALLS = "dev/etlprofiler/core/WovenCalls";

  private WovenCallSites() {}

  /** One "method -> called" per call site, sorted. */
  static List<String> of(byte[] classFile) {
    List<String> calls = new ArrayList<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int opcode, String owner, String called, String calledDesc, boolean itf) {
                    if (owner.equals(WOVEN_CALLS)) {
                      calls.add(name + " -> " + called);
                    }
                  }
                };
              }
            },
            0);
    return calls.stream().sorted().toList();
  }
}
