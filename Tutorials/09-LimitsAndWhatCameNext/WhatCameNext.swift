// WhatCameNext.swift — Chapter 9's survey of the ideas that answered FCN's limits and that the
// reader's notes name (다중 스케일 피쳐, 주의 메커니즘, DeepLab, U-Net, Mask R-CNN): multi-scale
// context, CRF post-processing, and instance versus semantic segmentation. Words and citations
// only: none of these is run here.
import FCNCourse

/// Prints the survey.
func showWhatCameNext(_ lesson: inout Lesson) throws {
    lesson.section("What came next (4): multi-scale context, CRFs, instances — in words")
    lesson.say("  Multi-scale context. One receptive field per pixel is one scale of context. DeepLab v2/v3")
    lesson.say("  (Chen et al., 2017) run parallel dilated 3×3 filters at rates 6, 12, 18 (24) on the same")
    lesson.say("  features — atrous spatial pyramid pooling (ASPP) — and v3 adds an image-level pooled branch.")
    lesson.say("  PSPNet (Zhao et al., 2017) pools the last features into 1×1, 2×2, 3×3 and 6×6 bins, upsamples")
    lesson.say("  and concatenates them (pyramid pooling). FPN (Lin et al., 2017) builds a top-down path with")
    lesson.say("  lateral connections so every stride gets deep semantics — FCN's skips, made systematic.")
    lesson.say("  CRF post-processing. DeepLab v1 (Chen et al., 2015) smooths FCN-style scores with a fully")
    lesson.say("  connected CRF (Krähenbühl and Koltun, 2011): pixels close in position and colour are pushed")
    lesson.say("  toward one label, which snaps coarse score boundaries to image edges. CRF-as-RNN (Zheng et")
    lesson.say("  al., 2015) unrolls its mean-field steps into layers trained end to end with the FCN.")
    lesson.say("  Instance versus semantic. Semantic segmentation (this course, VOC's task) gives every pixel a")
    lesson.say("  class: two touching people are one 'person' region. Instance segmentation separates them.")
    lesson.say("  Mask R-CNN (He et al., 2017) detects boxes (Faster R-CNN) and predicts a small FCN mask per")
    lesson.say("  box — per-class binary masks with RoIAlign — so FCN lives on inside it as the mask head.")
    lesson.say("  Panoptic segmentation (Kirillov et al., 2019) asks for both at once.")
    lesson.say("  Attention (the notes' 주의 메커니즘): non-local blocks and transformers give each position a")
    lesson.say("  context chosen by content rather than a fixed window (see the paragraph above).")
}
