package io.aiotedge.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.Proc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The portable C cores the ESP32 app links (DSP and wire protocol) compile for a 32-bit Xtensa
 * MCU with an embedded C library, warnings as errors, and call nothing an MCU build lacks: no
 * heap, no files, no stdio beyond formatting into a caller's buffer. The ESP32's own toolchain
 * cannot be installed here (PlatformIO fetches it from its registry); Debian's ESP8266 compiler
 * (Xtensa LX106) with picolibc is the nearest real target, and .ci/run installs it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirmwareCrossCompileIT {
    private static final String GCC = "xtensa-lx106-elf-gcc";
    private static final Path SPECS = Path.of("/usr/lib/xtensa-lx106-elf/picolibc.specs");
    private static final int EM_XTENSA = 94;
    /** libm, and the compiler's soft-float runtime (the LX106 has no FPU; the ESP32's has single precision only). */
    private static final Set<String> MATH = Set.of("sin", "cos", "exp", "log", "sqrt", "ceil", "fmax");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"firmware/dsp/aiot_dsp.c, ''", "firmware/common/aiot_protocol.c, strcmp strlen vsnprintf"})
    void portableCore_compilesForXtensa_andNeedsNoHeapFilesOrStdio(String source, String libcAllowed) throws Exception {
        assumeTrue(HostBuild.have(GCC) && Files.exists(SPECS),
                "gcc-xtensa-lx106 and picolibc-xtensa-lx106-elf (.ci/run installs them)");
        Path out = Path.of("target", "xtensa", Path.of(source).getFileName().toString().replace(".c", ".o"));
        Files.createDirectories(out.getParent());
        Proc.Result cc = Proc.run(60, List.of(GCC, "--specs=" + SPECS, "-std=c99", "-Os", "-mlongcalls", "-Wall",
                "-Wextra", "-Wpedantic", "-Werror", "-Ifirmware/dsp", "-Ifirmware/common", "-c", source, "-o",
                out.toString()));
        assertEquals(0, cc.exitCode(), cc.stdout() + cc.stderr());

        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x7f, elf.get(0) & 0xff, "ELF magic");
        assertEquals(1, elf.get(4), "32-bit object");
        assertEquals(1, elf.get(5), "little-endian, as the ESP32");
        assertEquals(EM_XTENSA, elf.getShort(18), "machine: Xtensa");

        Proc.Result nm = Proc.run(30, List.of("xtensa-lx106-elf-nm", "-u", out.toString()));
        assertEquals(0, nm.exitCode(), nm.stderr());
        Set<String> allowed = new TreeSet<>(MATH);
        allowed.addAll(List.of(libcAllowed.isBlank() ? new String[0] : libcAllowed.split(" ")));
        List<String> unexpected = new ArrayList<>();
        for (String line : nm.stdout().strip().split("\n")) {
            String symbol = line.strip().replaceFirst("^U\\s+", "");
            if (!symbol.isEmpty() && !symbol.startsWith("__") && !allowed.contains(symbol)) {
                unexpected.add(symbol);
            }
        }
        assertTrue(unexpected.isEmpty(), source + " calls " + unexpected + " (allowed: libm " + MATH
                + ", the compiler runtime, and " + libcAllowed + ")");
    }
}
