package dev.etlprofiler.agent.instrument.weave;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** The calls a woven class file makes to a recording class of the core. */
public final class WovenCallSites {
  private WovenCallSites() {}

  /**
   * One "method -> called" per call site to {@code calls} (relative to {@code
   * dev/etlprofiler/core/}, e.g. {@code jdbc/JdbcCalls}), sorted.
   */
  public static List<String> of(byte[] classFile, String recorder) {
    String owner = "dev/etlprofiler/core/" + recorder;
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
                      int opcode,
                      String calledOwner,
                      String called,
                      String calledDesc,
                      boolean itf) {
                    if (owner.equals(calledOwner)) {
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
