package dev.etlprofiler.agent.instrument.springbatch;

import dev.etlprofiler.agent.instrument.weave.ClassWeaver;
import dev.etlprofiler.agent.instrument.weave.Library;
import dev.etlprofiler.agent.instrument.weave.MethodRule;
import dev.etlprofiler.agent.instrument.weave.WovenCall;
import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import dev.etlprofiler.core.AgentLog;
import dev.etlprofiler.core.springbatch.SpringBatchCalls;
import java.lang.instrument.Instrumentation;
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
 * Spring Batch 5.x and 6.x (preset {@code spring-batch}): the framework's own call sites, where it
 * runs a job, a step, a chunk, and calls the reader, processor and writer the user wrote, so that
 * lambdas and method references are covered and operations are named by job and step. The class and
 * method names are the same in 5.2 and 6.0 (6.0 moved the types of their arguments to other
 * packages: rules match by name and number of arguments), plus 6.0's {@code ChunkOrientedStep} (the
 * {@code chunk(n).transactionManager(tx)} API). Woven with ASM alone; the woven code passes the
 * framework's objects as {@code Object} to {@code dev.etlprofiler.core.springbatch}, which reads
 * names and counts by reflection once per step, never per item.
 *
 * <ul>
 *   <li>{@code AbstractJob.execute(JobExecution)}: the job;
 *   <li>{@code AbstractStep.execute(StepExecution)}: every step (tasklet, chunk-oriented,
 *       partitioned, flow, job steps);
 *   <li>{@code ChunkOrientedTasklet.execute(StepContribution, ChunkContext)} and 6.0's {@code
 *       ChunkOrientedStep.processNextChunk(TransactionStatus, StepContribution, StepExecution)}: a
 *       chunk;
 *   <li>{@code TaskletStep$ChunkTransactionCallback.doInTransaction}: a tasklet's transaction (not
 *       timed for chunk-oriented tasklets, whose chunk is);
 *   <li>{@code SimpleChunkProvider.doRead()}, {@code SimpleChunkProcessor.doProcess(I)}/{@code
 *       doWrite(Chunk)} and 6.0's {@code ChunkOrientedStep.doRead/doProcess/doWrite}: read,
 *       process, write (the fault-tolerant provider and processor extend these).
 * </ul>
 */
public final class SpringBatchLibrary implements Library {
  private static final String PREFIX = "org/springframework/batch/core/";

  /**
   * How one selected method is woven: a call of a kind ({@link SpringBatchCalls#enter}) whose
   * {@code arg0} is the argument at {@code argIndex}, or, when {@code item} is set, a per-item call
   * ({@link WovenItem}: {@code enter<item>}/{@code exit<item>}).
   */
  private record Plan(
      MethodRule rule,
      int kind,
      int argIndex,
      String item,
      boolean withThis,
      boolean withReturned) {
    MethodVisitor wrap(MethodVisitor mv, String desc, int maxLocals) {
      if (item != null) {
        return new WovenItem(
            mv, desc, maxLocals, "enter" + item, withThis, "exit" + item, withReturned);
      }
      return new WovenCall(mv, desc, maxLocals, CALLS, kind, true) {
        @Override
        protected void loadEnterArgument() {
          super.visitVarInsn(Opcodes.ALOAD, 1 + argIndex);
        }

        @Override
        protected void loadKept() {
          super.visitVarInsn(Opcodes.ALOAD, 1 + argIndex);
        }
      };
    }
  }

  private static final String CALLS = "springbatch/SpringBatchCalls";

  private static Plan call(MethodRule rule, int kind) {
    return new Plan(rule, kind, 0, null, false, false);
  }

  private static Plan item(MethodRule rule, String name, boolean withThis, boolean withReturned) {
    return new Plan(rule, -1, 0, name, withThis, withReturned);
  }

  private static final Map<String, List<Plan>> PLANS = new LinkedHashMap<>();

  static {
    PLANS.put(
        PREFIX + "job/AbstractJob",
        List.of(call(MethodRule.named("execute").publicOnly().args(1), SpringBatchCalls.JOB)));
    PLANS.put(
        PREFIX + "step/AbstractStep",
        List.of(call(MethodRule.named("execute").publicOnly().args(1), SpringBatchCalls.STEP)));
    PLANS.put(
        PREFIX + "step/item/ChunkOrientedTasklet",
        List.of(
            call(
                MethodRule.named("execute").publicOnly().args(2), SpringBatchCalls.CHUNK_TASKLET)));
    PLANS.put(
        PREFIX + "step/tasklet/TaskletStep$ChunkTransactionCallback",
        List.of(call(MethodRule.named("doInTransaction").args(1), SpringBatchCalls.TRANSACTION)));
    PLANS.put(
        PREFIX + "step/item/SimpleChunkProvider",
        List.of(item(MethodRule.named("doRead").args(0), "Read", false, true)));
    PLANS.put(
        PREFIX + "step/item/SimpleChunkProcessor",
        List.of(
            item(MethodRule.named("doProcess").args(1), "Process", false, false),
            item(MethodRule.named("doWrite").args(1), "Write", false, false)));
    PLANS.put(
        PREFIX + "step/item/ChunkOrientedStep",
        List.of(
            new Plan(
                MethodRule.named("processNextChunk").args(3),
                SpringBatchCalls.CHUNK_STEP,
                2,
                null,
                false,
                false),
            item(MethodRule.named("doRead").args(0), "Read", false, true),
            item(MethodRule.named("doProcess").args(1), "StepProcess", true, false),
            item(MethodRule.named("doWrite").args(1), "Write", false, false)));
  }

  @Override
  public String name() {
    return "spring-batch";
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String internalName, Class<?> redefined, byte[] bytes) {
    if (!internalName.startsWith(PREFIX)) {
      return null;
    }
    List<Plan> plans = PLANS.get(internalName);
    if (plans == null) {
      return null;
    }
    ClassReader reader = new ClassReader(bytes);
    Map<String, Plan> selected = new HashMap<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String signature, String[] exceptions) {
            for (Plan p : plans) {
              if (p.rule().matches(access, name, desc)) {
                selected.put(name + desc, p);
                break;
              }
            }
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (selected.isEmpty()) {
      return null;
    }
    byte[] woven =
        ClassWeaver.weave(
            reader,
            selected.keySet(),
            new WovenMethod.Factory() {
              @Override
              public MethodVisitor wrap(MethodVisitor mv, String name, String desc, int maxLocals) {
                return selected.get(name + desc).wrap(mv, desc, maxLocals);
              }
            });
    AgentLog.debug(
        "instrumented Spring Batch class "
            + internalName.replace('/', '.')
            + ": "
            + new ArrayList<>(selected.keySet()));
    return woven;
  }

  /**
   * Attached to a running JVM: weaves the Spring Batch classes already loaded (only method bodies
   * change, which a retransformation allows). Jobs and steps already running go on unwoven; the
   * next ones are recorded.
   */
  @Override
  public void installed(Instrumentation inst, boolean attached) {
    if (!attached) {
      return;
    }
    for (Class<?> c : inst.getAllLoadedClasses()) {
      String name = c.getName();
      if (name.startsWith("org.springframework.batch.core.")
          && PLANS.containsKey(name.replace('.', '/'))
          && inst.isModifiableClass(c)) {
        try {
          inst.retransformClasses(c);
        } catch (Throwable t) {
          AgentLog.debug("could not retransform " + name + ": " + t);
        }
      }
    }
  }

  @Override
  public Map<String, List<MethodRule>> rulesByClass() {
    Map<String, List<MethodRule>> rules = new LinkedHashMap<>();
    for (Map.Entry<String, List<Plan>> e : PLANS.entrySet()) {
      List<MethodRule> r = new ArrayList<>();
      for (Plan p : e.getValue()) {
        r.add(p.rule());
      }
      rules.put(e.getKey(), r);
    }
    return rules;
  }
}
