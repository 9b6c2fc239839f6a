package dev.etlprofiler.agent.instrument.weave;

import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Which methods of a class a library weaves: a name, and optionally the number of arguments, the
 * types of some of them, public access. Only concrete methods are selected (no abstract, native,
 * synthetic, bridge or static ones). One rule is evaluated the same way on both weaving paths: on a
 * method's access flags, name and descriptor as ASM reads them from the class file ({@link
 * #matches}), and through {@link AdviceWeaver} on ByteBuddy's description of the same method, which
 * gives the same three values.
 */
public final class MethodRule {
  private static final int NOT_CONCRETE =
      Opcodes.ACC_ABSTRACT
          | Opcodes.ACC_NATIVE
          | Opcodes.ACC_SYNTHETIC
          | Opcodes.ACC_BRIDGE
          | Opcodes.ACC_STATIC;

  private final String name;
  private final int minArgs;
  private final int maxArgs;
  private final String[] argDescriptors;
  private final boolean publicOnly;

  private MethodRule(
      String name, int minArgs, int maxArgs, String[] argDescriptors, boolean publicOnly) {
    this.name = name;
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
    this.argDescriptors = argDescriptors;
    this.publicOnly = publicOnly;
  }

  /** Concrete methods of this name, any arguments. */
  public static MethodRule named(String name) {
    return new MethodRule(name, 0, Integer.MAX_VALUE, new String[0], false);
  }

  /** Exactly {@code n} arguments. */
  public MethodRule args(int n) {
    return new MethodRule(name, n, n, argDescriptors, publicOnly);
  }

  /** At least {@code n} arguments. */
  public MethodRule minArgs(int n) {
    return new MethodRule(name, n, maxArgs, argDescriptors, publicOnly);
  }

  /** Argument {@code index} is of the class {@code binaryName} (exactly, as declared). */
  public MethodRule arg(int index, String binaryName) {
    String[] d =
        java.util.Arrays.copyOf(argDescriptors, Math.max(argDescriptors.length, index + 1));
    d[index] = "L" + binaryName.replace('.', '/') + ";";
    return new MethodRule(name, Math.max(minArgs, index + 1), maxArgs, d, publicOnly);
  }

  /** Public methods only. */
  public MethodRule publicOnly() {
    return new MethodRule(name, minArgs, maxArgs, argDescriptors, true);
  }

  public String name() {
    return name;
  }

  /** Whether a method, by its access flags, name and descriptor, is selected. */
  public boolean matches(int access, String methodName, String descriptor) {
    if (!name.equals(methodName) || (access & NOT_CONCRETE) != 0) {
      return false;
    }
    if (publicOnly && (access & Opcodes.ACC_PUBLIC) == 0) {
      return false;
    }
    Type[] args = Type.getArgumentTypes(descriptor);
    if (args.length < minArgs || args.length > maxArgs) {
      return false;
    }
    for (int i = 0; i < argDescriptors.length; i++) {
      if (argDescriptors[i] != null && !argDescriptors[i].equals(args[i].getDescriptor())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name
        + (minArgs == maxArgs ? "/" + minArgs : minArgs > 0 ? "/" + minArgs + "+" : "")
        + (publicOnly ? " public" : "");
  }
}
