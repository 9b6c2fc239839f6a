package dev.etlprofiler.agent.instrument.weave;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A client call woven with ASM: {@code ts = Calls.enter(KIND, this, arg0)} before the body, the
 * first argument kept in a woven local, and {@code Calls.exit(returned, KIND, arg0, ts, thrown)} on
 * every way out, where {@code Calls} is a library's recording class in {@code dev.etlprofiler.core}
 * (e.g. {@code jdbc/JdbcCalls}) with those two static methods. The woven code has the same shape
 * for every kind of call; the library's recording class does the rest by kind. Subclasses change
 * what is passed as {@code arg0} or {@code returned}.
 */
public class WovenCall extends WovenMethod {
  protected final String calls;
  protected final int kind;
  private final boolean firstArgument;

  /**
   * @param calls the recording class, relative to {@code dev/etlprofiler/core/}
   * @param kind the kind of call, a constant of the recording class
   * @param firstArgument whether the method's first argument (an object) is passed as {@code arg0}
   * @param keptType the internal name of the woven local that holds {@code arg0} for the exit
   */
  public WovenCall(
      MethodVisitor mv,
      String descriptor,
      int maxLocals,
      String calls,
      int kind,
      boolean firstArgument,
      String keptType) {
    super(mv, descriptor, maxLocals, keptType);
    this.calls = calls;
    this.kind = kind;
    this.firstArgument = firstArgument;
  }

  public WovenCall(
      MethodVisitor mv,
      String descriptor,
      int maxLocals,
      String calls,
      int kind,
      boolean firstArgument) {
    this(mv, descriptor, maxLocals, calls, kind, firstArgument, "java/lang/Object");
  }

  private static final String ENTER_DESC =
      "(ILjava/lang/Object;Ljava/lang/Object;)L" + THREAD_STATE + ";";
  private static final String EXIT_DESC =
      "(Ljava/lang/Object;ILjava/lang/Object;L" + THREAD_STATE + ";Ljava/lang/Throwable;)V";

  @Override
  protected final void enter() {
    push(kind);
    super.visitVarInsn(Opcodes.ALOAD, 0);
    loadEnterArgument();
    invokeCore(calls, "enter", ENTER_DESC);
    super.visitVarInsn(Opcodes.ASTORE, slot);
    loadKept();
    super.visitVarInsn(Opcodes.ASTORE, slot + 1);
  }

  /** Pushes what {@code enter} gets as {@code arg0}: the first argument, or null. */
  protected void loadEnterArgument() {
    loadFirstArgument();
  }

  /** Pushes what is kept for {@code exit}'s {@code arg0}: the first argument, or null. */
  protected void loadKept() {
    loadFirstArgument();
  }

  private void loadFirstArgument() {
    if (firstArgument) {
      super.visitVarInsn(Opcodes.ALOAD, 1);
    } else {
      super.visitInsn(Opcodes.ACONST_NULL);
    }
  }

  /** With the return value on the stack: pushes what {@code exit} gets as {@code returned}. */
  protected void pushReturned() {
    pushReturnValueBoxed();
  }

  /** In the handler: pushes what {@code exit} gets as {@code returned} after a throwable. */
  protected void pushReturnedAfterThrow() {
    super.visitInsn(Opcodes.ACONST_NULL);
  }

  @Override
  protected final void exitReturning() {
    pushReturned();
    exitCall(false);
  }

  @Override
  protected final void exitThrowing() {
    super.visitInsn(Opcodes.DUP);
    super.visitVarInsn(Opcodes.ASTORE, scratch());
    pushReturnedAfterThrow();
    exitCall(true);
  }

  private void exitCall(boolean thrown) {
    push(kind);
    super.visitVarInsn(Opcodes.ALOAD, slot + 1);
    super.visitVarInsn(Opcodes.ALOAD, slot);
    if (thrown) {
      super.visitVarInsn(Opcodes.ALOAD, scratch());
    } else {
      super.visitInsn(Opcodes.ACONST_NULL);
    }
    invokeCore(calls, "exit", EXIT_DESC);
  }
}
