package dev.etlprofiler.agent.instrument.weave;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves code around selected methods of a class with ASM alone (the copy inside ByteBuddy's jar),
 * without ByteBuddy's type pool and {@code Advice}: loading and initialising ByteBuddy for the
 * first woven class cost about 280 ms of a hello-world JVM's start-up (about 1,000 classes,
 * measured with -Xlog:class+load); this path loads a few dozen ASM classes. Each selected method is
 * wrapped by a {@link WovenMethod} its library makes.
 *
 * <p>Why the stack-map frames stay valid without computing any: the woven locals live after the
 * method's own {@code max_locals}, so the original code and its local numbering are untouched;
 * every frame of the method gets those locals appended (padded with TOP), and the handler's frame
 * names those locals only, so it is valid at every instruction it covers. The woven code has no
 * branch, so no other frame is needed, and the handler is the last entry of the exception table, so
 * the method's own handlers still come first.
 *
 * <p>Class files of every version are woven. Before Java 6 (version 50) the JVM ignores stack maps
 * and verifies by type inference: no frame is written. Java 6 class files may carry stack maps;
 * where one does not match, the JVM falls back to type inference for that version.
 */
public final class ClassWeaver {
  /** Adds interfaces and members to a woven class (only when it is loaded, never retransformed). */
  public interface Extension {
    /** The class's interfaces after weaving, given its own. */
    String[] interfaces(String[] declared);

    /** Adds fields and methods, after the class's own. */
    void addMembers(ClassVisitor cv);
  }

  private ClassWeaver() {}

  /**
   * The class with each method named in {@code methods} ({@code name + descriptor}) woven by the
   * factory's visitor.
   */
  public static byte[] weave(ClassReader reader, Set<String> methods, WovenMethod.Factory factory) {
    return weave(reader, methods, factory, null);
  }

  /** As {@link #weave(ClassReader, Set, WovenMethod.Factory)}, with an extension (or null). */
  public static byte[] weave(
      ClassReader reader, Set<String> methods, WovenMethod.Factory factory, Extension extension) {
    boolean frames = version(reader) >= Opcodes.V1_6;
    // max_locals of the selected methods first: the woven locals go after them
    Map<String, Integer> maxLocals = new HashMap<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            String key = name + descriptor;
            return !methods.contains(key)
                ? null
                : new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMaxs(int maxStack, int locals) {
                    maxLocals.put(key, locals);
                  }
                };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    // Given the reader, the writer starts from the class's constant pool and copies every method
    // not woven byte for byte instead of decoding and re-encoding it: H2's JDBC classes (3 woven
    // among 36 candidates, 74 kB) took 60-75 ms at start-up before, in code not yet compiled.
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            String[] all = extension == null ? interfaces : extension.interfaces(interfaces);
            super.visit(version, access, name, signature, superName, all);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            Integer locals = maxLocals.get(name + descriptor);
            if (locals == null) {
              return mv;
            }
            return factory.wrap(frames ? mv : new NoFrames(mv), name, descriptor, locals);
          }

          @Override
          public void visitEnd() {
            if (extension != null) {
              extension.addMembers(cv);
            }
            super.visitEnd();
          }
        },
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** The class file's major version. */
  public static int version(ClassReader reader) {
    return reader.readUnsignedShort(6);
  }

  /** Drops frames: class files before Java 6 have none, and the JVM verifies them by inference. */
  private static final class NoFrames extends MethodVisitor {
    NoFrames(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {}
  }
}
