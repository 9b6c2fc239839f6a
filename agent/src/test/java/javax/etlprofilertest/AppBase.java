package javax.etlprofilertest;

/** A javax.* class that is the application's, not the JDK's (as javax.servlet is). */
public abstract class AppBase implements Runnable {}
