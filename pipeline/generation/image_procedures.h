#pragma once
// The image-input procedures of a job (internal header: includes torch), as the official notebooks and
// the parity README "Image-input fixtures" compute them:
//   img2img      x_init = gdf.diffuse(effnet(Normalize(init)), t = strength, ε) at shift 1;
//                Stage C runs int(steps·strength) steps from t_start = strength;
//   variation    cond clip_img = CLIP image_embeds of the picture (uncond: zeros);
//   ControlNet   canny / inpaint (+ outpaint canvas) / sr: a list of feeds × strength, the same for cond
//                and uncond; inpaint also starts from the init latents (noise level 1 officially);
//   reconstruct  effnet latents of the picture downscaled by 3/4 → Stage B → Stage A (no Stage C).
// Output sizes: Stage C grid h_c × w_c = the effnet grid of the size-defining picture (sr: twice it),
// height = int(h_c·32·4/3); Stage B's latent ⌈height/4⌉ must be even (PixelUnshuffle(2)), so the rare
// odd case is snapped down by 4 px (same Stage C grid) with a note.

#include "pipeline/generation/cascade_pipeline.h"
#include "pipeline/loading/model_loader.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace kaskade::procedures {

// What Stage C and Stage B need from the image inputs of one job.
struct ImageJob
{
    bool stageC = true;                // false for reconstruction
    std::int64_t gridH = 0, gridW = 0; // Stage C latent grid
    int height = 0, width = 0;         // the official "height, width" (Stage B latent = ⌈·/4⌉)
    int stepsC = 0;                    // Stage C steps actually run
    double tStart = 1.0;
    at::Tensor xInit;             // undefined: Stage C starts from drawn noise
    at::Tensor clipImg;           // (B,1,c_clip_img) cond image embedding; undefined: zeros
    std::vector<at::Tensor> cnet; // ControlNet feeds (× strength), undefined entries = None; empty: none
    at::Tensor stageBEffnet;      // reconstruction: Stage B's effnet condition
};

// Prepares every image-derived tensor of `params.images` (which must have passed validate()) on the
// models' device. `given` replaces the RgbImage conversion (parity: the fixture's float tensors).
// `noiseC` gives the img2img ε (its first draw, in place of the initial noise). Traces the fixture's
// names (effnet_latents, control_image, cnet.NNN, ...). Appends user-facing notes (resizes, snapping).
ImageJob prepareImageJob(const GenerationParams& params, LoadedModels& models, const GenerationCallbacks& callbacks,
                         const ImageTensors& given, NoiseSource& noiseC, const TraceFn& trace,
                         std::vector<std::string>& notes);

// Official output side for a Stage C grid side: int(grid·32·4/3) (24 → 1024, 2 → 85).
int outputSideForGrid(std::int64_t grid);

} // namespace kaskade::procedures
