package io.signalbox.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The desktop app's log file. */
class FileLogTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("once installed, log lines go to the file too (its folder created); after close they stop")
    void writesUntilClosed() throws Exception {
        Path file = dir.resolve("data").resolve("signalbox.log");
        var log = LoggerFactory.getLogger(FileLogTest.class);

        try (FileLog ignored = FileLog.install(file)) {
            log.info("written to the file");
        }
        log.info("after closing");

        String text = Files.readString(file);
        assertThat(text).contains("INFO").contains("written to the file").contains(FileLogTest.class.getSimpleName());
        assertThat(text).doesNotContain("after closing");
    }
}
