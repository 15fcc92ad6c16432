// CPUFeaturesTests.swift — reading /proc/cpuinfo.
import FCNKernels
import Testing
@testable import FCN

@Suite struct CPUFeaturesTests {
    @Test func parsesTheFirstProcessor() {
        let text = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
        flags\t\t: fpu sse4_2 avx fma avx2 avx512f avx512bw avx512vl avx512_bf16
        bugs\t\t: spectre_v1

        processor\t: 1
        model name\t: something else
        flags\t\t: fpu
        """
        let cpu = CPUFeatures.parse(cpuinfo: text)
        #expect(cpu.modelName == "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz")
        #expect(cpu.has("avx512_bf16") && cpu.has("fma") && !cpu.has("spectre_v1"))
        #expect(cpu.vectorFlags == ["sse4_2", "avx", "fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512_bf16"])
    }

    @Test func missingLinesGiveAnEmptyDescription() {
        let cpu = CPUFeatures.parse(cpuinfo: "processor : 0\n")
        #expect(cpu.modelName == "unknown")
        #expect(cpu.flags.isEmpty)
    }
}
