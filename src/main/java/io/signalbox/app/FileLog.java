package io.signalbox.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The desktop app's log file in its data folder, beside the standard-error log that logback.xml sets
 * up. It is added in code rather than in logback.xml because only the desktop app has a data folder:
 * the headless commands must not write one. Kept small: it rolls at 5 MB and keeps three old files,
 * so that a person can attach it to a bug report.
 */
public final class FileLog implements AutoCloseable {
    static final String APPENDER_NAME = "SIGNALBOX_FILE";

    private final Logger root;
    private final RollingFileAppender<ILoggingEvent> appender;

    private FileLog(Logger root, RollingFileAppender<ILoggingEvent> appender) {
        this.root = root;
        this.appender = appender;
    }

    /**
     * Starts writing every log line to {@code file} too (its folder is created); {@link #close()}
     * stops it. Does nothing when SLF4J is not bound to logback.
     */
    public static FileLog install(Path file) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) return new FileLog(null, null);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setFile(file.toString());
        appender.setEncoder(encoder);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        // Forward slashes: logback reads a backslash in a pattern as an escape, and Windows takes either.
        rolling.setFileNamePattern(file.toString().replace('\\', '/') + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(3);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("5MB"));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return new FileLog(root, appender);
    }

    /** Stops writing the file and releases it. */
    @Override
    public void close() {
        if (appender == null) return;
        root.detachAppender(appender);
        appender.stop();
    }
}
