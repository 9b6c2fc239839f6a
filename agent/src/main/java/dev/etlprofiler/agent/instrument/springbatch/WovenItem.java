package dev.etlprofiler.agent.instrument.springbatch;

import dev.etlprofiler.agent.instrument.weave.WovenMethod;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A per-item call site woven with ASM: {@code ts = SpringBatchCalls.enterX()} (or {@code
 * enterX(this)}) before the body and {@code SpringBatchCalls.exitX([returned,] ts, thrown)} on
 * every way out. No argument is read and nothing but the thread state is kept: the per-item cost is
 * the core's enter and exit.
 */
final class WovenItem extends WovenMethod {
  private static final String CALLS = "springbatch/SpringBatchCalls";
  private static final String TS = "L" + THREAD_STATE + ";";

  private final String enter;
  private final boolean withThis;
  private final String exit;
  private final boolean withReturned;

  WovenItem(
      MethodVisitor mv,
      String descriptor,
      int maxLocals,
      String enter,
      boolean withThis,
      String exit,
      boolean withReturned) {
    super(mv, descriptor, maxLocals);
    this.enter = enter;
    this.withThis = withThis;
    this.exit = exit;
    this.withReturned = withReturned;
  }

  @Override
  protected void enter() {
    if (withThis) {
      super.visitVarInsn(Opcodes.ALOAD, 0);
    }
    invokeCore(CALLS, enter, withThis ? "(Ljava/lang/Object;)" + TS : "()" + TS);
    super.visitVarInsn(Opcodes.ASTORE, slot);
  }

  private String exitDescriptor() {
    return "(" + (withReturned ? "Ljava/lang/Object;" : "") + TS + "Ljava/lang/Throwable;)V";
  }

  @Override
  protected void exitReturning() {
    if (withReturned) {
      pushReturnValueBoxed();
    }
    super.visitVarInsn(Opcodes.ALOAD, slot);
    super.visitInsn(Opcodes.ACONST_NULL);
    invokeCore(CALLS, exit, exitDescriptor());
  }

  @Override
  protected void exitThrowing() {
    super.visitInsn(Opcodes.DUP);
    super.visitVarInsn(Opcodes.ASTORE, scratch());
    if (withReturned) {
      super.visitInsn(Opcodes.ACONST_NULL);
    }
    super.visitVarInsn(Opcodes.ALOAD, slot);
    super.visitVarInsn(Opcodes.ALOAD, scratch());
    invokeCore(CALLS, exit, exitDescriptor());
  }
}
