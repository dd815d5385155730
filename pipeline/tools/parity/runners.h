#pragma once
// One runner per fixture "module". Each lives in its own run_*.cpp next to this file and throws
// Error(Unsupported) until implemented.

#include "pipeline/tools/parity/parity.h"

namespace kaskade::parity {

void runTokenizerFixture(Fixture& fixture, Checker& checker); // run_tokenizer.cpp / run_clip_text.cpp
void runClipTextFixture(Fixture& fixture, Checker& checker);  // run_tokenizer.cpp / run_clip_text.cpp
void runStageAFixture(Fixture& fixture, Checker& checker);    // run_stage_a.cpp (decode and encode)
void runPreviewerFixture(Fixture& fixture, Checker& checker); // run_stage_a.cpp
void runStageBFixture(Fixture& fixture, Checker& checker);    // run_stage_bc.cpp
void runStageCFixture(Fixture& fixture, Checker& checker);    // run_stage_bc.cpp
void runSamplerFixture(Fixture& fixture, Checker& checker);   // run_sampler.cpp
void runPipelineFixture(Fixture& fixture, Checker& checker);  // run_pipeline.cpp
void runLoraFixture(Fixture& fixture, Checker& checker);      // run_formats.cpp (lora: run_lora.cpp)
void runFormatFixture(Fixture& fixture, Checker& checker);    // run_formats.cpp (lora: run_lora.cpp)

void runEffnetEncoderFixture(Fixture& fixture, Checker& checker);    // run_image_models.cpp
void runClipVisionFixture(Fixture& fixture, Checker& checker);       // run_image_models.cpp
void runControlNetFixture(Fixture& fixture, Checker& checker);       // run_image_models.cpp
void runStageCControlNetFixture(Fixture& fixture, Checker& checker); // run_image_models.cpp
void runImagePipelineFixture(Fixture& fixture, Checker& checker);    // run_image_pipeline.cpp
void runTrainLoraFixture(Fixture& fixture, Checker& checker);        // run_train_lora.cpp
void runTrainLoraSaveFixture(Fixture& fixture, Checker& checker);    // run_train_lora.cpp

} // namespace kaskade::parity
