// ArgmaxAgreement.swift — Chapter 1: do the dense cells and the separate windows name the same
// class? The relative difference of the scores says how far apart the numbers are; what a
// segmentation uses is the arg-max, so the chapter also reports how often the two agree on it
// (paper §3.1, CVPR 2015: the convolutionalized net "computes" the patches' outputs).
import FCN

/// The fraction of grid cells whose arg-max class in the dense score map `[1, K, G, G]` is the
/// arg-max of the window's own scores (`patchScores[i·G + j]`, K each).
func argmaxAgreement(map: Tensor, patchScores: [[Float]], grid: Int) -> Double {
    let k = map.shape[1]
    var agree = 0
    for i in 0..<grid { for j in 0..<grid {
        let cell = (0..<k).max { map[0, $0, i, j] < map[0, $1, i, j] }!
        let scores = patchScores[i * grid + j]
        let window = scores.indices.max { scores[$0] < scores[$1] }!
        if cell == window { agree += 1 }
    } }
    return Double(agree) / Double(max(1, grid * grid))
}
