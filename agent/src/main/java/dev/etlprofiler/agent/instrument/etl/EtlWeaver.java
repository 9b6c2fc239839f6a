package dev.etlprofiler.agent.instrument.etl;

import dev.etlprofiler.agent.config.Target;
import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.NamePattern;
import dev.etlprofiler.agent.instrument.weave.Supertypes;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.Kind;
import dev.etlprofiler.core.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the timing of ETL methods, chosen by the {@code instrument.*} targets and the {@code
 * ProfiledOperation} annotation, with {@link ClassWeaver}. The code woven around a selected method:
 *
 * <pre>{@code
 * ThreadState ts = Core.onEnter(OP);                 // before the original first instruction
 * ... original body, before each xRETURN: Core.onExit(ts, null, OP);
 * catch-all handler after the body: Core.onExit(ts, thrown, OP); throw thrown;
 * }</pre>
 *
 * <p>{@code OP} is the operation's id, registered when the class is woven and written into the code
 * as a constant: the per-call path never looks anything up by name. A target's criteria are all
 * applied: class patterns, packages, annotations on the class, supertypes (read from class files,
 * never by loading a class), method patterns and exclusions.
 */
final class EtlWeaver {
  static final String THREAD_STATE = "dev/etlprofiler/core/ThreadState";
  private static final String ENTER_DESC = "(I)L" + THREAD_STATE + ";";
  private static final String EXIT_DESC = "(L" + THREAD_STATE + ";Ljava/lang/Throwable;I)V";
  private static final String PROFILED_DESC =
      "L" + EtlLibrary.PROFILED_OPERATION.replace('.', '/') + ";";
  private static final int API = Opcodes.ASM9;

  private record Rule(
      Target target, List<Pattern> classes, List<Pattern> methods, List<Pattern> excluded) {}

  private final List<Rule> rules = new ArrayList<>();

  /** Supertype names of classes seen, for {@code subtypes-of}. */
  private final Supertypes supertypes = new Supertypes();

  /**
   * @param targets one per rule; null stands for the {@code @ProfiledOperation} rule
   */
  EtlWeaver(List<Target> targets) {
    for (Target t : targets) {
      rules.add(
          t == null
              ? new Rule(null, List.of(), List.of(), List.of())
              : new Rule(
                  t,
                  NamePattern.compileAllClasses(t.classes()),
                  NamePattern.compileAll(t.methods()),
                  NamePattern.compileAll(t.excludeMethods())));
    }
  }

  /** One method as declared in the class file. */
  private static final class Method {
    final int access;
    final String name;
    final String desc;
    boolean annotated;
    String annotatedName;

    Method(int access, String name, String desc) {
      this.access = access;
      this.name = name;
      this.desc = desc;
    }
  }

  /** The class header, annotations and methods, read without code. */
  private static final class Scan extends ClassVisitor {
    int version;
    int access;
    String name;
    String superName;
    String[] interfaces;
    final Set<String> annotations = new HashSet<>();
    final List<Method> methods = new ArrayList<>();

    Scan() {
      super(API);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.version = version;
      this.access = access;
      this.name = name;
      this.superName = superName;
      this.interfaces = interfaces;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      annotations.add(descriptor);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      Method m = new Method(access, name, descriptor);
      methods.add(m);
      return new MethodVisitor(API) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          if (!annotation.equals(PROFILED_DESC)) {
            return null;
          }
          m.annotated = true;
          return new AnnotationVisitor(API) {
            @Override
            public void visit(String key, Object value) {
              if ("value".equals(key) && value instanceof String s && !s.isBlank()) {
                m.annotatedName = s;
              }
            }
          };
        }
      };
    }
  }

  /** The woven class, or null when no method of it is to be profiled. */
  byte[] weave(ClassLoader loader, String binaryName, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    Scan scan = new Scan();
    reader.accept(scan, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if ((scan.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) != 0) {
      return null;
    }
    Map<String, Method> selected = new HashMap<>();
    for (Rule rule : rules) {
      if (!typeMatches(rule, binaryName, scan, loader)) {
        continue;
      }
      for (Method m : scan.methods) {
        if (profileable(m) && methodMatches(rule, m)) {
          selected.put(m.name + m.desc, m);
        }
      }
    }
    if (selected.isEmpty()) {
      return null;
    }
    String simpleName = binaryName.substring(binaryName.lastIndexOf('.') + 1);
    // an anonymous class, not a lambda: this runs when the first class is woven, at start-up
    byte[] woven =
        ClassWeaver.weave(
            reader,
            selected.keySet(),
            new WovenMethod.Factory() {
              @Override
              public MethodVisitor wrap(
                  MethodVisitor mv, String name, String descriptor, int maxLocals) {
                Method m = selected.get(name + descriptor);
                int opId =
                    OpRegistry.id(
                        Kind.METHOD,
                        m.annotatedName != null ? m.annotatedName : simpleName + "." + name);
                return new Timer(mv, descriptor, opId, maxLocals);
              }
            });
    AgentLog.debug("instrumented " + binaryName);
    return woven;
  }

  private boolean typeMatches(Rule rule, String binaryName, Scan scan, ClassLoader loader) {
    Target t = rule.target();
    if (t == null) {
      return true; // @ProfiledOperation: any class, the methods decide
    }
    // loops, not streams or lambdas: this runs on the start-up path of the first woven class
    if (!rule.classes().isEmpty() && !NamePattern.anyMatches(rule.classes(), binaryName)) {
      return false;
    }
    if (!t.packages().isEmpty() && !anyPrefix(binaryName, t.packages())) {
      return false;
    }
    if (!t.annotatedWith().isEmpty()
        && !anyContained(scan.annotations, t.annotatedWith(), "L", ";")) {
      return false;
    }
    if (!t.subtypesOf().isEmpty()) {
      return anyContained(
          supertypes.of(loader, scan.name, scan.superName, scan.interfaces),
          t.subtypesOf(),
          "",
          "");
    }
    return true;
  }

  private static boolean anyPrefix(String binaryName, List<String> packages) {
    for (String p : packages) {
      if (binaryName.startsWith(p + ".")) return true;
    }
    return false;
  }

  /** Whether the set holds any of the binary names, as internal names with a prefix and suffix. */
  private static boolean anyContained(
      Set<String> set, List<String> binaryNames, String prefix, String suffix) {
    for (String n : binaryNames) {
      if (set.contains(prefix + n.replace('.', '/') + suffix)) return true;
    }
    return false;
  }

  private static boolean methodMatches(Rule rule, Method m) {
    if (rule.target() == null) {
      return m.annotated;
    }
    boolean named =
        rule.methods().isEmpty()
            ? (m.access & Opcodes.ACC_PUBLIC) != 0
                && !m.name.equals("toString")
                && !m.name.equals("hashCode")
                && !m.name.equals("equals")
            : NamePattern.anyMatches(rule.methods(), m.name);
    return named && !NamePattern.anyMatches(rule.excluded(), m.name);
  }

  /**
   * Methods that can be timed at all: no constructors, abstract, native, synthetic or bridge
   * methods, no lambda bodies.
   */
  private static boolean profileable(Method m) {
    return (m.access
                & (Opcodes.ACC_ABSTRACT
                    | Opcodes.ACC_NATIVE
                    | Opcodes.ACC_SYNTHETIC
                    | Opcodes.ACC_BRIDGE))
            == 0
        && !m.name.startsWith("<")
        && !m.name.startsWith("lambda$");
  }

  /** Weaves the timing into one method; see the class comment for the code it writes. */
  static final class Timer extends WovenMethod {
    private final int opId;

    Timer(MethodVisitor mv, String descriptor, int opId, int maxLocals) {
      super(mv, descriptor, maxLocals);
      this.opId = opId;
    }

    @Override
    protected void enter() {
      push(opId);
      invokeCore("Core", "onEnter", ENTER_DESC);
      super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    @Override
    protected void exitReturning() {
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitInsn(Opcodes.ACONST_NULL);
      push(opId);
      invokeCore("Core", "onExit", EXIT_DESC);
    }

    @Override
    protected void exitThrowing() {
      super.visitInsn(Opcodes.DUP);
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitInsn(Opcodes.SWAP);
      push(opId);
      invokeCore("Core", "onExit", EXIT_DESC);
    }
  }
}
