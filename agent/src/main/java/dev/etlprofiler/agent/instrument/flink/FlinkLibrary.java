package dev.etlprofiler.agent.instrument.flink;

import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Apache Flink 1.20 and 2.x (preset {@code flink}): the framework's own call sites where an
 * operator hands a record to the function the user wrote, so that lambdas and method references are
 * covered and each operator is named as the job graph names it ({@code Map}, {@code Filter}, {@code
 * Keyed Reduce}, the user's {@code .name("parse")}).
 *
 * <ul>
 *   <li>{@code processElement(StreamRecord)} of {@code StreamMap}, {@code StreamFilter}, {@code
 *       StreamFlatMap}, {@code StreamGroupedReduceOperator}, {@code ProcessOperator}, {@code
 *       KeyedProcessOperator}, {@code StreamSink} (legacy {@code SinkFunction}s, in 2.x from {@code
 *       ...functions.sink.legacy}, and {@code executeAndCollect}'s collect sink) and {@code
 *       SinkWriterOperator} ({@code sinkTo}): one call per record; the same class and method names
 *       in 1.20 and 2.1;
 *   <li>{@code AbstractStreamOperator.close()}: the operator's own record counts on its node.
 * </ul>
 *
 * <p>Each woven operator class gets, when it is loaded, a transient int field holding its operation
 * id (plus one; 0 until its first record) and a private static method that returns it, resolving it
 * once through {@code FlinkCalls.resolve(this)}: per record the woven code is that field read and
 * {@code Core.onEnter}/{@code Core.onExit}. A class already loaded (the agent attached late) cannot
 * get a field: it is left alone.
 */
public final class FlinkLibrary implements Library {
  private static final String OPERATORS = "org/apache/flink/streaming/api/operators/";
  private static final String PREFIX = "org/apache/flink/streaming/";
  private static final String CALLS = "dev/etlprofiler/core/flink/FlinkCalls";
  private static final String BASE = OPERATORS + "AbstractStreamOperator";
  private static final String FIELD = "__etlprofilerFlinkOp";
  private static final String GETTER = "__etlprofilerFlinkOp";

  static final MethodRule PROCESS_ELEMENT = MethodRule.named("processElement").publicOnly().args(1);
  static final MethodRule CLOSE = MethodRule.named("close").publicOnly().args(0);

  /** The operator classes whose {@code processElement} is timed. */
  static final Set<String> OPERATOR_CLASSES =
      Set.of(
          OPERATORS + "StreamMap",
          OPERATORS + "StreamFilter",
          OPERATORS + "StreamFlatMap",
          OPERATORS + "StreamGroupedReduceOperator",
          OPERATORS + "ProcessOperator",
          OPERATORS + "KeyedProcessOperator",
          OPERATORS + "StreamSink",
          "org/apache/flink/streaming/runtime/operators/sink/SinkWriterOperator");

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (!internalName.startsWith(PREFIX) || redefined != null) {
      return null;
    }
    boolean operator = OPERATOR_CLASSES.contains(internalName);
    if (!operator && !internalName.equals(BASE)) {
      return null;
    }
    MethodRule rule = operator ? PROCESS_ELEMENT : CLOSE;
    ClassReader reader = new ClassReader(bytes);
    Set<String> selected = new TreeSet<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            if (rule.matches(access, name, desc)) {
              selected.add(name + desc);
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (selected.isEmpty()) {
      return null;
    }
    byte[] woven;
    if (operator) {
      woven =
          ClassWeaver.weave(
              reader,
              selected,
              (mv, name, desc, maxLocals) -> new WovenRecord(mv, desc, maxLocals, internalName),
              new OpField(internalName));
    } else {
      woven = ClassWeaver.weave(reader, selected, (mv, name, desc, maxLocals) -> new OnClose(mv));
    }
    AgentLog.debug("instrumented Flink class " + internalName.replace('/', '.') + ": " + selected);
    return woven;
  }

  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    Map<String, List<MethodRule>> rules = new LinkedHashMap<>();
    for (String c : new TreeSet<>(OPERATOR_CLASSES)) {
      rules.put(c, List.of(PROCESS_ELEMENT));
    }
    rules.put(BASE, new ArrayList<>(List.of(CLOSE)));
    return rules;
  }

  /**
   * Adds the op-id field and its getter: {@code private static int __etlprofilerFlinkOp(C self)}
   * returns {@code self.field - 1}, resolving and storing it first when the field is still 0.
   */
  private static final class OpField implements ClassWeaver.Extension {
    private final String owner;

    OpField(String owner) {
      this.owner = owner;
    }

    @Override
    public String[] interfaces(String[] declared) {
      return declared;
    }

    @Override
    public void addMembers(ClassVisitor cv) {
      cv.visitField(
              Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
              FIELD,
              "I",
              null,
              null)
          .visitEnd();
      MethodVisitor mv =
          cv.visitMethod(
              Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
              GETTER,
              getterDesc(owner),
              null,
              null);
      mv.visitCode();
      Label resolve = new Label();
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, owner, FIELD, "I");
      mv.visitInsn(Opcodes.DUP);
      mv.visitJumpInsn(Opcodes.IFEQ, resolve);
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.ISUB);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(resolve);
      mv.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {Opcodes.INTEGER});
      mv.visitInsn(Opcodes.POP);
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, "resolve", "(Ljava/lang/Object;)I", false);
      mv.visitVarInsn(Opcodes.ISTORE, 1);
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ILOAD, 1);
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitInsn(Opcodes.IADD);
      mv.visitFieldInsn(Opcodes.PUTFIELD, owner, FIELD, "I");
      mv.visitVarInsn(Opcodes.ILOAD, 1);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitMaxs(3, 2);
      mv.visitEnd();
    }
  }

  private static String getterDesc(String owner) {
    return "(L" + owner + ";)I";
  }

  /**
   * {@code processElement}: {@code ts = Core.onEnter(op(this))} before the body, {@code
   * Core.onExit(ts, thrown, op(this))} on every way out; {@code this} is kept in a woven local
   * (after the thread state), the only locals the handler's frame names.
   */
  private static final class WovenRecord extends WovenMethod {
    private static final String TS = "L" + THREAD_STATE + ";";
    private final String owner;

    WovenRecord(MethodVisitor mv, String descriptor, int maxLocals, String owner) {
      super(mv, descriptor, maxLocals, owner);
      this.owner = owner;
    }

    /** Pushes the op id, from the operator kept in a woven local (the handler's frame has it). */
    private void pushOp() {
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, GETTER, getterDesc(owner), false);
    }

    @Override
    protected void enter() {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ASTORE, slot + 1);
      pushOp();
      invokeCore("Core", "onEnter", "(I)" + TS);
      super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    @Override
    protected void exitReturning() {
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitInsn(Opcodes.ACONST_NULL);
      pushOp();
      invokeCore("Core", "onExit", "(" + TS + "Ljava/lang/Throwable;I)V");
    }

    @Override
    protected void exitThrowing() {
      super.visitInsn(Opcodes.DUP);
      super.visitVarInsn(Opcodes.ASTORE, scratch());
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitVarInsn(Opcodes.ALOAD, scratch());
      pushOp();
      invokeCore("Core", "onExit", "(" + TS + "Ljava/lang/Throwable;I)V");
    }
  }

  /** {@code AbstractStreamOperator.close()}: {@code FlinkCalls.closed(this)} first. */
  private static final class OnClose extends MethodVisitor {
    OnClose(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, CALLS, "closed", "(Ljava/lang/Object;)V", false);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(Math.max(maxStack, 1), maxLocals);
    }
  }
}
