// Glossary.swift — the course's words in Korean and English, for the reader whose notes on the
// paper are in Korean (the course index links the page drawn from these entries).
//
// One entry per term: the Korean word as the notes write it, the English term the paper and the
// code use, a one-line meaning, and where in the paper (CVPR 2015 section numbers unless marked
// PAMI) and in the course it is taught. Every technical term of the notes
// (`fcn-paper-notes.ko.md`) has an entry, spelled as the notes spell it (variants in brackets).

/// One term of the glossary.
public struct GlossaryEntry: Sendable, Equatable {
    /// The Korean term, as the user's notes write it (e.g. 전이 합성곱).
    public var korean: String
    /// The English term the paper and the code use (e.g. "transposed convolution").
    public var english: String
    /// What it means, in one or two sentences.
    public var meaning: String
    /// Where the paper introduces it, labelled with its source ("CVPR §3.3", "PAMI §4.1").
    public var paper: String
    /// The course chapters that teach it (chapter numbers).
    public var chapters: [Int]

    public init(korean: String, english: String, meaning: String, paper: String, chapters: [Int]) {
        self.korean = korean
        self.english = english
        self.meaning = meaning
        self.paper = paper
        self.chapters = chapters
    }
}

/// The glossary, in the order a reader meets the terms.
public enum Glossary {
    public static let entries: [GlossaryEntry] = [
        GlossaryEntry(korean: "시맨틱 세그멘테이션 (시멘틱 세그멘테이션)", english: "semantic segmentation",
                      meaning: "Giving every pixel of an image the label of the class it belongs to (VOC: 20 object classes and background); touching objects of one class form one region.",
                      paper: "CVPR §1, §5", chapters: [0, 8]),
        GlossaryEntry(korean: "세그멘테이션", english: "segmentation",
                      meaning: "Dividing an image into labelled regions; in the paper always semantic: a class per pixel, not an object instance per pixel.",
                      paper: "CVPR §1", chapters: [0]),
        GlossaryEntry(korean: "픽셀 단위 (픽셀 단위의 의미적 레이블링)", english: "pixelwise (pixels-to-pixels) semantic labelling",
                      meaning: "A prediction for every pixel rather than one per image; the paper trains 'end-to-end, pixels-to-pixels'.",
                      paper: "CVPR abstract, §1", chapters: [0, 6]),
        GlossaryEntry(korean: "고밀도 예측", english: "dense prediction",
                      meaning: "Producing an output at every position of the input (here a class score vector per pixel), as opposed to one label for the whole image.",
                      paper: "CVPR §1, §3", chapters: [1, 8]),
        GlossaryEntry(korean: "합성곱 신경망 (CNN, Convolutional Neural Networks)", english: "convolutional network (convnet, CNN)",
                      meaning: "A network of convolutions, nonlinearities and pooling whose filters are shared over positions, so each output depends on a local window of the input (its receptive field).",
                      paper: "CVPR §3", chapters: [1, 3]),
        GlossaryEntry(korean: "이미지 분류 (classification)", english: "image classification",
                      meaning: "Assigning one class to a whole image (ILSVRC); the nets FCN adapts (AlexNet, VGG16, GoogLeNet) were trained for it.",
                      paper: "CVPR §1, §3.1", chapters: [1, 2]),
        GlossaryEntry(korean: "분류망", english: "classification net (classifier)",
                      meaning: "A network trained for image classification; FCN reuses its weights and recasts its fully connected layers as convolutions.",
                      paper: "CVPR §3.1, §4.1", chapters: [2]),
        GlossaryEntry(korean: "완전 컨볼루션 네트워크 (완전한 컨볼루션 네트워크, 완전 합성곱 신경망)", english: "fully convolutional network (FCN)",
                      meaning: "A network made only of convolution-like layers (convolution, pooling, elementwise nonlinearities, upsampling), so it takes an input of any size and produces an output of corresponding size.",
                      paper: "CVPR §3", chapters: [2, 8]),
        GlossaryEntry(korean: "완전 연결층 (Fully Connected Layer)", english: "fully connected layer (inner product)",
                      meaning: "A layer connecting every input to every output; on a fixed-size input it equals a convolution whose kernel covers the whole input, which is how FCN converts fc6–fc8.",
                      paper: "CVPR §3.1, Fig. 2", chapters: [2]),
        GlossaryEntry(korean: "컨볼루션 층 (합성곱 층)", english: "convolution layer",
                      meaning: "A layer applying learned filters at every position with a given stride and padding; its output size follows from the input size.",
                      paper: "CVPR §3", chapters: [2, 3]),
        GlossaryEntry(korean: "피쳐맵 (특징 맵)", english: "feature map",
                      meaning: "The output of a layer for one input: C channels on an H×W grid; deeper maps are coarser (larger stride) and more semantic.",
                      paper: "CVPR §3", chapters: [3, 7]),
        GlossaryEntry(korean: "클래스 스코어 맵 (히트맵)", english: "class score map (heatmap)",
                      meaning: "The map of one class's score over the positions of the image; a convolutionalised classifier outputs one per class (Fig. 2).",
                      paper: "CVPR §3.1, Fig. 2", chapters: [2]),
        GlossaryEntry(korean: "위치 정보", english: "spatial information (where)",
                      meaning: "Where something is in the image; a classifier's fully connected layers discard it, a fully convolutional net keeps it up to its output stride.",
                      paper: "CVPR §3.1, §4.2", chapters: [2, 7]),
        GlossaryEntry(korean: "패치 기반 접근 방식", english: "patchwise training and inference",
                      meaning: "Classifying a window around each pixel separately; the overlapping windows repeat computation that one fully convolutional pass shares, and patchwise training is loss sampling.",
                      paper: "CVPR §2, §3.1, §3.4", chapters: [1, 6]),
        GlossaryEntry(korean: "계산 비용", english: "computational cost",
                      meaning: "The work a method needs (multiply-adds, time); FCN computes all windows in one pass (CVPR §3.1: 5× faster for AlexNet in their measurement).",
                      paper: "CVPR §3.1, Table 1", chapters: [1, 8]),
        GlossaryEntry(korean: "풀링", english: "pooling (max pooling)",
                      meaning: "Taking the maximum over a window with a stride; the five stride-2 pools give VGG16 its output stride of 32.",
                      paper: "CVPR §3.1, §4.2", chapters: [3, 5]),
        GlossaryEntry(korean: "다운샘플링", english: "downsampling (stride)",
                      meaning: "Reducing resolution by a strided convolution or pooling; FCN's trunk downsamples by 32.",
                      paper: "CVPR §3.1, §3.2", chapters: [3, 5]),
        GlossaryEntry(korean: "저해상도 피쳐맵", english: "coarse (low-resolution) output",
                      meaning: "The stride-32 score map of the convolutionalised classifier: one score vector per 32×32 block of pixels.",
                      paper: "CVPR §3.1, §4.2", chapters: [3, 4, 9]),
        GlossaryEntry(korean: "해상도", english: "resolution (output stride)",
                      meaning: "How finely an output is sampled relative to the input; FCN-32s, -16s, -8s are named by theirs.",
                      paper: "CVPR §4.2", chapters: [7, 9]),
        GlossaryEntry(korean: "업샘플링 (Up-sampling)", english: "upsampling",
                      meaning: "Producing a finer map from a coarse one; FCN upsamples scores by transposed convolution, initialised (final layer: fixed) to bilinear interpolation.",
                      paper: "CVPR §3.3, §4.2", chapters: [4, 8]),
        GlossaryEntry(korean: "전이 합성곱 (전이합성곱, Transposed Convolution)", english: "transposed convolution",
                      meaning: "The adjoint of a strided convolution: each input value scatters a kernel-sized patch into a larger output, 'convolution with a fractional input stride of 1/f'.",
                      paper: "CVPR §3.3", chapters: [4]),
        GlossaryEntry(korean: "디컨볼루션 (Deconvolution)", english: "deconvolution (backwards strided convolution)",
                      meaning: "The paper's and Caffe's name for the transposed convolution layer; not the inverse of a convolution (convT(conv(x)) ≠ x).",
                      paper: "CVPR §3.3", chapters: [4]),
        GlossaryEntry(korean: "쌍선형 보간", english: "bilinear interpolation",
                      meaning: "Interpolating between the two nearest values along each axis; FCN's upsampling kernels are bilinear (fixed in the final layer, and in all layers of Berkeley's reference nets).",
                      paper: "CVPR §3.3, §4.3", chapters: [4]),
        GlossaryEntry(korean: "스킵 연결 (Skip Connection)", english: "skip connection (skip architecture)",
                      meaning: "Fusing scores from a shallower, finer layer (pool4, pool3) with the upsampled deep scores, so that coarse semantics meet fine appearance.",
                      paper: "CVPR §4.2 (PAMI §4.3), Fig. 3", chapters: [7]),
        GlossaryEntry(korean: "고수준 특징 / 저수준 특징", english: "deep, coarse (semantic) vs shallow, fine (appearance) features",
                      meaning: "Deep layers know what is in the image but not exactly where; shallow layers know where edges are but not what they belong to: 'what' and 'where'.",
                      paper: "CVPR §4.2", chapters: [7]),
        GlossaryEntry(korean: "추상화 레벨", english: "level of abstraction (semantics vs location)",
                      meaning: "The tension the skips resolve: 'global information resolves what while local information resolves where'.",
                      paper: "CVPR §1, §4.2", chapters: [7]),
        GlossaryEntry(korean: "결합 (특징 맵 결합)", english: "fusion (elementwise sum of scores)",
                      meaning: "FCN combines the streams by upsampling the coarser scores 2×, cropping the finer ones onto them and summing.",
                      paper: "CVPR §4.2, Fig. 3", chapters: [7]),
        GlossaryEntry(korean: "클래스 확률", english: "class probability (softmax)",
                      meaning: "The softmax of a pixel's K class scores; the predicted label is the argmax.",
                      paper: "CVPR §3, §4.1", chapters: [6, 8]),
        GlossaryEntry(korean: "시맨틱 레이블", english: "semantic label (label map)",
                      meaning: "The class given to a pixel; VOC label images store 0–20 and 255 for void (not counted).",
                      paper: "CVPR §5", chapters: [0, 6]),
        GlossaryEntry(korean: "공간 손실 (픽셀 단위 손실)", english: "spatial (per-pixel) loss",
                      meaning: "The loss summed over the final layer's spatial positions: softmax cross-entropy at every pixel, void pixels excluded.",
                      paper: "CVPR §3, §4.1, Fig. 1", chapters: [6]),
        GlossaryEntry(korean: "엔드 투 엔드 학습", english: "end-to-end training",
                      meaning: "Training all layers together from the image to the per-pixel loss with backpropagation, no separate stages of hand-made features or post-processing.",
                      paper: "CVPR §1, §3", chapters: [6, 7]),
        GlossaryEntry(korean: "아키텍처", english: "architecture (backbone and head)",
                      meaning: "The layer structure: FCN puts a score layer and upsampling head on a classifier's convolutional trunk (AlexNet, VGG16, GoogLeNet).",
                      paper: "CVPR §4.1, Table 1", chapters: [2, 8]),
        GlossaryEntry(korean: "경계 (객체와 배경의 경계)", english: "boundary (object/background edge)",
                      meaning: "Where the label changes; a coarse stride loses it ('dissatisfyingly coarse' output), skips and later decoders recover it.",
                      paper: "CVPR §4.2", chapters: [9]),
        GlossaryEntry(korean: "벤치마크 (PASCAL VOC 2011, 2012)", english: "benchmark (PASCAL VOC segmentation)",
                      meaning: "VOC's segmentation challenge: 20 object classes plus background; the paper reports mean IU on VOC 2011 and 2012 test and validates on seg11valid (736 images).",
                      paper: "CVPR §5, Table 3, footnote 7", chapters: [0, 10]),
        GlossaryEntry(korean: "수용 영역 (수용장)", english: "receptive field",
                      meaning: "The image pixels an output unit is path-connected to; 404×404 for a VGG16 score_fr cell, whose neighbours are 32 px apart.",
                      paper: "CVPR §3, Table 1", chapters: [3]),
        GlossaryEntry(korean: "시프트 앤 스티치", english: "shift-and-stitch",
                      meaning: "Denser output from a coarse net by running it on f² shifted copies of the input and interleaving the outputs; equal to dropping a stride and dilating the later filters.",
                      paper: "CVPR §3.2", chapters: [1, 5]),
        GlossaryEntry(korean: "체커보드 아티팩트", english: "checkerboard artifact",
                      meaning: "A periodic pattern a strided transposed convolution leaves when its kernel's s² phases sum differently; bilinear kernels and resize-then-convolve avoid it.",
                      paper: "CVPR §3.3; Odena et al., Distill 2016", chapters: [4]),
        GlossaryEntry(korean: "평균 IU (평균 교집합/합집합)", english: "mean IU (mean intersection over union)",
                      meaning: "Per class, pixels right ÷ pixels that are the class or were called it; averaged over classes, so rare classes weigh as much as background.",
                      paper: "CVPR §5", chapters: [6, 7]),
        GlossaryEntry(korean: "다중 스케일 피쳐", english: "multi-scale features (context)",
                      meaning: "Features from several receptive-field sizes or image scales; FCN's skips are one form, ASPP, pyramid pooling and FPN later ones.",
                      paper: "CVPR §2; not in FCN's method", chapters: [9]),
        GlossaryEntry(korean: "주의 메커니즘 (attention mechanism)", english: "attention",
                      meaning: "Weighting context by content (non-local blocks, transformers) instead of a fixed window; not in the paper.",
                      paper: "not in the paper (later work)", chapters: [9]),
        GlossaryEntry(korean: "DeepLab", english: "DeepLab (atrous / dilated convolution, CRF)",
                      meaning: "Follow-up that removes pooling strides and dilates the later filters (Chapter 5's rarefaction), and refines boundaries with a fully connected CRF.",
                      paper: "later work; CVPR §3.2 is the link", chapters: [5, 9]),
        GlossaryEntry(korean: "U-Net", english: "U-Net (encoder–decoder)",
                      meaning: "Follow-up with a learned decoder that upsamples step by step and concatenates the encoder's features at every stride.",
                      paper: "later work; CVPR §4.2 is the link", chapters: [9]),
        GlossaryEntry(korean: "Mask R-CNN", english: "Mask R-CNN (instance segmentation)",
                      meaning: "Follow-up that detects object boxes and predicts one small FCN mask per box, separating instances that semantic segmentation merges.",
                      paper: "later work", chapters: [9]),
    ]
}
