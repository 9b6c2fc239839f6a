package dev.etlprofiler.agent.instrument.kafkastreams;

import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Kafka Streams 3.x and 4.x (preset {@code kafka-streams}): the framework's own call site of every
 * processor of every DSL operator and of the Processor API, {@code ProcessorNode.process(Record)}
 * (and its overrides in {@code SourceNode} and {@code SinkNode}), named by the node's name, under
 * the stream task that processes the record ({@code StreamTask.process(long)}), plus the task's
 * commits and punctuations. Lambdas, method references, classes, {@code FixedKeyProcessor}s: all
 * pass through a {@code ProcessorNode}. The same classes and methods in 3.9 and 4.3 ({@code
 * StreamTask.prepareCommit} lost its argument in 4.x: matched by name).
 *
 * <p>Woven with ASM alone, at load time only: the agent adds an {@code int} field to {@code
 * ProcessorNode} (the node's op id, set at the start of {@code init(InternalProcessorContext)} from
 * {@code name()}, once per node instance) and to {@code StreamTask} (the task's op id, resolved on
 * its first record). A retransformed class cannot gain fields, so an agent attached to a JVM that
 * already loaded these classes leaves them alone.
 */
public final class KafkaStreamsLibrary implements Library {
  private static final String PREFIX = "org/apache/kafka/streams/processor/internals/";
  static final String PROCESSOR_NODE = PREFIX + "ProcessorNode";
  static final String STREAM_TASK = PREFIX + "StreamTask";
  static final String FIELD = "etlprofiler$op";
  static final String CALLS = "kafkastreams/KafkaStreamsCalls";
  private static final String TS = "L" + WovenMethod.THREAD_STATE + ";";
  private static final String PROCESS_DESC = "(Lorg/apache/kafka/streams/processor/api/Record;)V";
  private static final String INIT_DESC = "(L" + PREFIX + "InternalProcessorContext;)V";

  private static final MethodRule PROCESS =
      MethodRule.named("process")
          .publicOnly()
          .args(1)
          .arg(0, "org.apache.kafka.streams.processor.api.Record");
  private static final MethodRule INIT =
      MethodRule.named("init")
          .publicOnly()
          .args(1)
          .arg(0, "org.apache.kafka.streams.processor.internals.InternalProcessorContext");
  private static final MethodRule TASK_PROCESS = MethodRule.named("process").publicOnly().args(1);
  private static final MethodRule COMMIT = MethodRule.named("prepareCommit").publicOnly();
  private static final MethodRule PUNCTUATE = MethodRule.named("punctuate").publicOnly().args(4);

  private static final Map<String, List<MethodRule>> RULES = new LinkedHashMap<>();

  static {
    RULES.put(PROCESSOR_NODE, List.of(PROCESS, INIT));
    RULES.put(PREFIX + "SourceNode", List.of(PROCESS));
    RULES.put(PREFIX + "SinkNode", List.of(PROCESS));
    RULES.put(STREAM_TASK, List.of(TASK_PROCESS, COMMIT, PUNCTUATE));
  }

  @Override
  public String name() {
    return "kafka-streams";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (redefined != null || !internalName.startsWith(PREFIX)) {
      return null;
    }
    List<MethodRule> rules = RULES.get(internalName);
    if (rules == null) {
      return null;
    }
    ClassReader reader = new ClassReader(bytes);
    Map<String, MethodRule> selected = new HashMap<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            for (MethodRule r : rules) {
              if (r.matches(access, name, desc)) {
                selected.put(name + desc, r);
                break;
              }
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    boolean node = internalName.equals(PROCESSOR_NODE);
    boolean task = internalName.equals(STREAM_TASK);
    if (selected.isEmpty() || (node && !selected.containsKey("init" + INIT_DESC))) {
      // ProcessorNode without the init that sets the field: leave the class as it is
      return null;
    }
    ClassWeaver.Extension extension = node || task ? new AddField() : null;
    byte[] woven =
        ClassWeaver.weave(
            reader,
            selected.keySet(),
            (mv, name, desc, maxLocals) -> {
              MethodRule r = selected.get(name + desc);
              if (r == INIT) {
                return new SetNodeOp(mv);
              }
              if (r == PROCESS) {
                return new WovenNode(mv, desc, maxLocals);
              }
              int what =
                  r == TASK_PROCESS
                      ? WovenTask.PROCESS
                      : r == COMMIT ? COMMIT_KIND : PUNCTUATE_KIND;
              return new WovenTask(mv, desc, maxLocals, what);
            },
            extension);
    AgentLog.debug(
        "instrumented Kafka Streams class "
            + internalName.replace('/', '.')
            + ": "
            + new ArrayList<>(selected.keySet()));
    return woven;
  }

  static final int COMMIT_KIND = 1;
  static final int PUNCTUATE_KIND = 2;

  /** Adds {@code public transient int etlprofiler$op}. */
  private static final class AddField implements ClassWeaver.Extension {
    @Override
    public String[] interfaces(String[] declared) {
      return declared;
    }

    @Override
    public void addMembers(ClassVisitor cv) {
      cv.visitField(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
              FIELD,
              "I",
              null,
              null)
          .visitEnd();
    }
  }

  /**
   * At the start of {@code ProcessorNode.init(InternalProcessorContext)}: {@code
   * this.etlprofiler$op = KafkaStreamsCalls.nodeOp(this.name())}. No branch, no local.
   */
  private static final class SetNodeOp extends MethodVisitor {
    SetNodeOp(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitMethodInsn(
          Opcodes.INVOKEVIRTUAL, PROCESSOR_NODE, "name", "()Ljava/lang/String;", false);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          WovenMethod.CORE_PACKAGE + CALLS,
          "nodeOp",
          "(Ljava/lang/String;)I",
          false);
      super.visitFieldInsn(Opcodes.PUTFIELD, PROCESSOR_NODE, FIELD, "I");
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + 2, maxLocals);
    }
  }

  /**
   * {@code ProcessorNode.process(Record)} and its overrides: {@code ts =
   * KafkaStreamsCalls.enterNode(this.etlprofiler$op)}, and {@code exitNode(ts, thrown, op)} on
   * every way out.
   */
  private static final class WovenNode extends WovenMethod {
    WovenNode(MethodVisitor mv, String desc, int maxLocals) {
      super(mv, desc, maxLocals, PROCESSOR_NODE);
    }

    /** {@code this} is kept in a woven local: the handler's frame names only the woven locals. */
    private void loadOp() {
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitFieldInsn(Opcodes.GETFIELD, PROCESSOR_NODE, FIELD, "I");
    }

    @Override
    protected void enter() {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ASTORE, slot + 1);
      loadOp();
      invokeCore(CALLS, "enterNode", "(I)" + TS);
      super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    @Override
    protected void exitReturning() {
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitInsn(Opcodes.ACONST_NULL);
      loadOp();
      invokeCore(CALLS, "exitNode", "(" + TS + "Ljava/lang/Throwable;I)V");
    }

    @Override
    protected void exitThrowing() {
      super.visitInsn(Opcodes.DUP);
      super.visitVarInsn(Opcodes.ASTORE, scratch());
      super.visitVarInsn(Opcodes.ALOAD, slot);
      super.visitVarInsn(Opcodes.ALOAD, scratch());
      loadOp();
      invokeCore(CALLS, "exitNode", "(" + TS + "Ljava/lang/Throwable;I)V");
    }
  }

  /**
   * {@code StreamTask.process(long)}, {@code prepareCommit}, {@code punctuate}: {@code
   * this.etlprofiler$op = KafkaStreamsCalls.taskOp(this, this.etlprofiler$op)} (resolved once per
   * task), then the task's frame; on every way out its exit.
   */
  private static final class WovenTask extends WovenMethod {
    static final int PROCESS = 0;
    private final int what;

    WovenTask(MethodVisitor mv, String desc, int maxLocals, int what) {
      super(mv, desc, maxLocals, STREAM_TASK);
      this.what = what;
    }

    /** {@code this} is kept in a woven local: the handler's frame names only the woven locals. */
    private void loadOp() {
      super.visitVarInsn(Opcodes.ALOAD, slot + 1);
      super.visitFieldInsn(Opcodes.GETFIELD, STREAM_TASK, FIELD, "I");
    }

    @Override
    protected void enter() {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ASTORE, slot + 1);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitFieldInsn(Opcodes.GETFIELD, STREAM_TASK, FIELD, "I");
      invokeCore(CALLS, "taskOp", "(Ljava/lang/Object;I)I");
      super.visitFieldInsn(Opcodes.PUTFIELD, STREAM_TASK, FIELD, "I");
      loadOp();
      if (what == PROCESS) {
        invokeCore(CALLS, "enterProcess", "(I)" + TS);
      } else {
        push(what);
        invokeCore(CALLS, "enterTask", "(II)" + TS);
      }
      super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    @Override
    protected void exitReturning() {
      if (what == PROCESS) {
        // the boolean returned is on the stack
        super.visitInsn(Opcodes.DUP);
      }
      exit(false);
    }

    @Override
    protected void exitThrowing() {
      super.visitInsn(Opcodes.DUP);
      super.visitVarInsn(Opcodes.ASTORE, scratch());
      if (what == PROCESS) {
        super.visitInsn(Opcodes.ICONST_1);
      }
      exit(true);
    }

    private void exit(boolean thrown) {
      super.visitVarInsn(Opcodes.ALOAD, slot);
      if (thrown) {
        super.visitVarInsn(Opcodes.ALOAD, scratch());
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      loadOp();
      if (what == PROCESS) {
        invokeCore(CALLS, "exitProcess", "(Z" + TS + "Ljava/lang/Throwable;I)V");
      } else {
        push(what);
        invokeCore(CALLS, "exitTask", "(" + TS + "Ljava/lang/Throwable;II)V");
      }
    }
  }

  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    return RULES;
  }
}
