<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>ErrorText</name>
    <message>
        <source>A parameter is out of range.</source>
        <translation>Ein Parameter liegt außerhalb des erlaubten Bereichs.</translation>
    </message>
    <message>
        <source>A file the model needs was not found.</source>
        <translation>Eine Datei, die das Modell braucht, wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>A file could not be read or written (is the disk full?).</source>
        <translation>Eine Datei konnte nicht gelesen oder geschrieben werden (ist der Datenträger voll?).</translation>
    </message>
    <message>
        <source>A file is not in the expected format or is damaged.</source>
        <translation>Eine Datei hat nicht das erwartete Format oder ist beschädigt.</translation>
    </message>
    <message>
        <source>The checkpoint does not match the model it was loaded as.</source>
        <translation>Der Checkpoint passt nicht zu dem Modell, als das er geladen wurde.</translation>
    </message>
    <message>
        <source>This is not supported yet.</source>
        <translation>Das wird noch nicht unterstützt.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>An internal error occurred. Please report it with the details below.</source>
        <translation>Ein interner Fehler ist aufgetreten. Bitte melden Sie ihn mit den Details unten.</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>Ein unbekannter Fehler ist aufgetreten.</translation>
    </message>
    <message>
        <source>The device reported an error (see the details).</source>
        <translation>Das Gerät hat einen Fehler gemeldet (siehe Details).</translation>
    </message>
    <message>
        <source>This build of Kaskade or this machine has no CUDA GPU. Choose CPU or Automatic as the device.</source>
        <translation>Diese Kaskade-Version oder dieser Rechner hat keine CUDA-GPU. Wählen Sie CPU oder Automatisch als Gerät.</translation>
    </message>
    <message>
        <source>The device ran out of memory. Try a smaller size, fewer images per job, bf16, or the CPU.</source>
        <translation>Dem Gerät ist der Speicher ausgegangen. Versuchen Sie eine kleinere Größe, weniger Bilder pro Auftrag, bf16 oder die CPU.</translation>
    </message>
    <message>
        <source>Stage C overflows in fp16 (black images). Choose bf16 or fp32 as the precision.</source>
        <translation>Stage C läuft in fp16 über (schwarze Bilder). Wählen Sie bf16 oder fp32 als Genauigkeit.</translation>
    </message>
</context>
<context>
    <name>kaskade::Choices</name>
    <message>
        <source>DDPM (official)</source>
        <translation>DDPM (offiziell)</translation>
    </message>
    <message>
        <source>DDIM (deterministic)</source>
        <translation>DDIM (deterministisch)</translation>
    </message>
    <message>
        <source>LCM</source>
        <translation>LCM</translation>
    </message>
    <message>
        <source>DPM++ 2M (deterministic)</source>
        <translation>DPM++ 2M (deterministisch)</translation>
    </message>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automatisch (GPU, falls vorhanden)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA-GPU</translation>
    </message>
    <message>
        <source>Automatic (bf16 on CUDA and on CPUs with native bf16, else fp32)</source>
        <translation>Automatisch (bf16 mit CUDA und auf CPUs mit nativem bf16, sonst fp32)</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <source>Automatic (by free memory)</source>
        <translation>Automatisch (nach freiem Speicher)</translation>
    </message>
    <message>
        <source>Keep every stage loaded</source>
        <translation>Alle Stufen geladen lassen</translation>
    </message>
    <message>
        <source>One stage at a time</source>
        <translation>Eine Stufe nach der anderen</translation>
    </message>
    <message>
        <source>Canny edges</source>
        <translation>Canny-Kanten</translation>
    </message>
    <message>
        <source>Inpainting / outpainting</source>
        <translation>Inpainting / Outpainting</translation>
    </message>
    <message>
        <source>Super-resolution ×2</source>
        <translation>Superauflösung ×2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::DownloadDialog</name>
    <message>
        <source>Download Stable Cascade</source>
        <translation>Stable Cascade herunterladen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Folder for the model files</source>
        <translation>Ordner für die Modelldateien</translation>
    </message>
    <message>
        <source>A mirror of the Hugging Face hub with the same URL layout; empty for the hub.</source>
        <translation>Ein Spiegel des Hugging-Face-Hubs mit derselben URL-Struktur; leer für den Hub.</translation>
    </message>
    <message>
        <source>only for gated repositories</source>
        <translation>nur für zugangsbeschränkte Repositorys</translation>
    </message>
    <message>
        <source>Remember</source>
        <translation>Merken</translation>
    </message>
    <message>
        <source>&amp;Weights:</source>
        <translation>&amp;Gewichte:</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>Zugriffs&amp;token:</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stopp</translation>
    </message>
    <message>
        <source>Stops the download; the partial files are kept and the next download continues them.</source>
        <translation>Hält den Download an; die Teildateien bleiben erhalten und der nächste Download setzt sie fort.</translation>
    </message>
    <message>
        <source>Choose a folder for the model files.</source>
        <translation>Wählen Sie einen Ordner für die Modelldateien.</translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address.</source>
        <translation>Der Endpunkt muss eine http://- oder https://-Adresse sein.</translation>
    </message>
    <message>
        <source>Asking %1 for the file list…</source>
        <translation>Dateiliste wird von %1 abgefragt…</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>teilweise</translation>
    </message>
    <message>
        <source>Total %1, already here %2, to download %3. Free space in this folder: %4.</source>
        <translation>Gesamt %1, bereits vorhanden %2, herunterzuladen %3. Freier Platz in diesem Ordner: %4.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not enough free space.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Nicht genug freier Speicherplatz.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>wird heruntergeladen</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source> · %1/s · %2 left</source>
        <translation> · %1/s · noch %2</translation>
    </message>
    <message>
        <source>All files are downloaded and verified in %1.</source>
        <translation>Alle Dateien sind heruntergeladen und in %1 geprüft.</translation>
    </message>
    <message>
        <source>Stopped. The partial files are kept: downloading the same weights into this folder continues them.</source>
        <translation>Angehalten. Die Teildateien bleiben erhalten: Ein erneuter Download derselben Gewichte in diesen Ordner setzt sie fort.</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Also the image-input files (effnet encoder, ControlNets, CLIP image encoder)</source>
        <translation>Auch die Dateien für Bildeingaben (Effnet-Encoder, ControlNets, CLIP-Bild-Encoder)</translation>
    </message>
    <message>
        <source>effnet_encoder.safetensors (image to image, inpainting, upscaling), controlnet/canny, inpainting, super_resolution (for Stage C 3.6B) and, for variations, image_encoder/ (CLIP ViT-L/14, about 1.2 GB) from %1.</source>
        <translation>effnet_encoder.safetensors (Bild zu Bild, Inpainting, Hochskalieren), controlnet/canny, inpainting, super_resolution (für Stage C 3.6B) und, für Variationen, image_encoder/ (CLIP ViT-L/14, etwa 1,2 GB) aus %1.</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1, aus %2</translation>
    </message>
    <message>
        <source>image_encoder/ comes from %1.</source>
        <translation>image_encoder/ kommt aus %1.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::GalleryPanel</name>
    <message>
        <source>Finished images, newest first. Right-click for actions; drop a PNG on the window to restore its parameters.</source>
        <translation>Fertige Bilder, neueste zuerst. Rechtsklick für Aktionen; ziehen Sie ein PNG auf das Fenster, um seine Parameter wiederherzustellen.</translation>
    </message>
    <message>
        <source>Select an image to see its parameters.</source>
        <translation>Wählen Sie ein Bild aus, um seine Parameter zu sehen.</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3</source>
        <translation>%1 × %2 px, %3</translation>
    </message>
    <message>
        <source>No generation parameters in this file.</source>
        <translation>Diese Datei enthält keine Generierungsparameter.</translation>
    </message>
    <message>
        <source>Search prompts…</source>
        <translation>Prompts durchsuchen…</translation>
    </message>
    <message>
        <source>Show only images whose prompt contains this text</source>
        <translation>Nur Bilder zeigen, deren Prompt diesen Text enthält</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Neueste zuerst</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Älteste zuerst</translation>
    </message>
    <message>
        <source>Sort by date</source>
        <translation>Nach Datum sortieren</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>Raster</translation>
    </message>
    <message>
        <source>Thumbnails in a grid</source>
        <translation>Vorschaubilder im Raster</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>A list with names</source>
        <translation>Eine Liste mit Namen</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ImageInputPanel</name>
    <message>
        <source>&amp;Open picture…</source>
        <translation>Bild ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>ControlNet:</source>
        <translation>ControlNet:</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>Stärke:</translation>
    </message>
    <message>
        <source>Control strength:</source>
        <translation>Control-Stärke:</translation>
    </message>
    <message>
        <source>Paint &amp;mask / extend…</source>
        <translation>&amp;Maske malen / erweitern…</translation>
    </message>
    <message>
        <source>Choose a picture (PNG, JPEG, WebP, …); you can also drop one here</source>
        <translation>Ein Bild wählen (PNG, JPEG, WebP, …); Sie können auch eines hierher ziehen</translation>
    </message>
    <message>
        <source>Back to text to image</source>
        <translation>Zurück zu Text zu Bild</translation>
    </message>
    <message>
        <source>Image to image</source>
        <translation>Bild zu Bild</translation>
    </message>
    <message>
        <source>Start from the picture, noised to the strength: low keeps it, high changes more</source>
        <translation>Vom Bild ausgehen, auf die Stärke verrauscht: niedrig behält es, hoch ändert mehr</translation>
    </message>
    <message>
        <source>Variations (image prompt)</source>
        <translation>Variationen (Bild-Prompt)</translation>
    </message>
    <message>
        <source>The picture&apos;s CLIP embedding guides Stage C; a prompt is optional</source>
        <translation>Das CLIP-Embedding des Bildes lenkt Stage C; ein Prompt ist optional</translation>
    </message>
    <message>
        <source>ControlNet</source>
        <translation>ControlNet</translation>
    </message>
    <message>
        <source>Canny edges, inpainting/outpainting or ×2 super-resolution (needs Stage C 3.6B)</source>
        <translation>Canny-Kanten, Inpainting/Outpainting oder ×2-Superauflösung (braucht Stage C 3.6B)</translation>
    </message>
    <message>
        <source>Reconstruct (Stage B/A only)</source>
        <translation>Rekonstruieren (nur Stage B/A)</translation>
    </message>
    <message>
        <source>What the Stage B/A compression keeps of the picture; no Stage C, no prompt</source>
        <translation>Was die Stage-B/A-Kompression vom Bild behält; keine Stage C, kein Prompt</translation>
    </message>
    <message>
        <source>Canny edges</source>
        <translation>Canny-Kanten</translation>
    </message>
    <message>
        <source>Noise level of the picture: Stage C runs this share of its steps (1 = ignore the picture)</source>
        <translation>Rauschstärke des Bildes: Stage C läuft diesen Anteil seiner Schritte (1 = Bild ignorieren)</translation>
    </message>
    <message>
        <source>Multiplies the ControlNet&apos;s features (1 = as trained)</source>
        <translation>Multipliziert die Merkmale des ControlNets (1 = wie trainiert)</translation>
    </message>
    <message>
        <source>Paint the area to repaint, or add canvas on the sides (outpainting)</source>
        <translation>Den neu zu malenden Bereich übermalen oder die Leinwand seitlich erweitern (Outpainting)</translation>
    </message>
    <message>
        <source>Use it for:</source>
        <translation>Verwenden für:</translation>
    </message>
    <message>
        <source>Use as &amp;init image</source>
        <translation>Als &amp;Ausgangsbild verwenden</translation>
    </message>
    <message>
        <source>Image to image from the selected picture (Image tab)</source>
        <translation>Bild zu Bild aus dem gewählten Bild (Reiter Bild)</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>&amp;Variationen</translation>
    </message>
    <message>
        <source>New pictures like the selected one (image prompt)</source>
        <translation>Neue Bilder wie das gewählte (Bild-Prompt)</translation>
    </message>
    <message>
        <source>&amp;Upscale ×2</source>
        <translation>&amp;Hochskalieren ×2</translation>
    </message>
    <message>
        <source>Super-resolution ControlNet on the selected picture</source>
        <translation>Superauflösungs-ControlNet auf das gewählte Bild</translation>
    </message>
    <message>
        <source>&amp;Edit (inpaint)…</source>
        <translation>&amp;Bearbeiten (Inpainting)…</translation>
    </message>
    <message>
        <source>Paint over part of the selected picture and repaint it</source>
        <translation>Einen Teil des gewählten Bildes übermalen und neu malen lassen</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Cannot use this picture</source>
        <translation>Dieses Bild ist nicht verwendbar</translation>
    </message>
    <message>
        <source>Inpainting needs a mask: paint the area to repaint or extend the canvas (Paint mask / extend…).</source>
        <translation>Inpainting braucht eine Maske: Malen Sie den neu zu malenden Bereich oder erweitern Sie die Leinwand (Maske malen / erweitern…).</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Image · %1</source>
        <translation>Bild · %1</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <source>Open a picture</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <source>Pictures (%1)</source>
        <translation>Bilder (%1)</translation>
    </message>
    <message>
        <source>Drop a picture here
or open one</source>
        <translation>Bild hierher ziehen
oder eines öffnen</translation>
    </message>
    <message>
        <source>No picture: the next job is text to image. Pictures can also come from the gallery (right-click an image).</source>
        <translation>Kein Bild: der nächste Auftrag ist Text zu Bild. Bilder können auch aus der Galerie kommen (Rechtsklick auf ein Bild).</translation>
    </message>
    <message>
        <source>%1 × %2 · %3</source>
        <translation>%1 × %2 · %3</translation>
    </message>
    <message>
        <source>Needs effnet_encoder.safetensors.</source>
        <translation>Braucht effnet_encoder.safetensors.</translation>
    </message>
    <message>
        <source>Needs the image encoder (image_encoder/).</source>
        <translation>Braucht den Bild-Encoder (image_encoder/).</translation>
    </message>
    <message>
        <source>Needs effnet_encoder.safetensors. The size comes from the picture.</source>
        <translation>Braucht effnet_encoder.safetensors. Die Größe kommt vom Bild.</translation>
    </message>
    <message>
        <source>Needs controlnet/%1 and Stage C 3.6B.</source>
        <translation>Braucht controlnet/%1 und Stage C 3.6B.</translation>
    </message>
    <message>
        <source>Also effnet_encoder.safetensors.</source>
        <translation>Außerdem effnet_encoder.safetensors.</translation>
    </message>
    <message>
        <source>The output is about 2.67× the picture.</source>
        <translation>Das Ergebnis ist etwa 2,67× so groß wie das Bild.</translation>
    </message>
    <message>
        <source>Canvas extended by %1, %2, %3, %4 px (left, top, right, bottom).</source>
        <translation>Leinwand erweitert um %1, %2, %3, %4 px (links, oben, rechts, unten).</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Wird berechnet…</translation>
    </message>
    <message>
        <source>Area to repaint</source>
        <translation>Neu zu malender Bereich</translation>
    </message>
    <message>
        <source>Upscaled ×2 (about 2.67× output)</source>
        <translation>Hochskaliert ×2 (Ergebnis etwa 2,67×)</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ImageViewer</name>
    <message>
        <source>Image viewer</source>
        <translation>Bildbetrachter</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Previous image (Left)</source>
        <translation>Vorheriges Bild (Links)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Next image (Right)</source>
        <translation>Nächstes Bild (Rechts)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>Fit the window (F)</source>
        <translation>An das Fenster anpassen (F)</translation>
    </message>
    <message>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <source>One image pixel per screen pixel (1)</source>
        <translation>Ein Bildpixel pro Bildschirmpixel (1)</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Nebeneinander</translation>
    </message>
    <message>
        <source>Swipe</source>
        <translation>Wischen</translation>
    </message>
    <message>
        <source>How two selected images are compared</source>
        <translation>Wie zwei ausgewählte Bilder verglichen werden</translation>
    </message>
    <message>
        <source>Reuse parameters</source>
        <translation>Parameter übernehmen</translation>
    </message>
    <message>
        <source>Left: %1
Right: %2</source>
        <translation>Links: %1
Rechts: %2</translation>
    </message>
    <message>
        <source>Compare images</source>
        <translation>Bilder vergleichen</translation>
    </message>
    <message>
        <source>Image %1 of %2</source>
        <translation>Bild %1 von %2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::LoraPanel</name>
    <message>
        <source>No LoRA loaded. Add one here, pick one in Model ▸ Checkpoints in the model folder, or write &lt;lora:name:0.8&gt; in the prompt.</source>
        <translation>Kein LoRA geladen. Fügen Sie hier eines hinzu, wählen Sie eines unter Modell ▸ Checkpoints im Modellordner, oder schreiben Sie &lt;lora:name:0.8&gt; in den Prompt.</translation>
    </message>
    <message>
        <source>Add LoRA…</source>
        <translation>LoRA hinzufügen…</translation>
    </message>
    <message>
        <source>Merge a Stage C LoRA (official, OneTrainer or kohya format)</source>
        <translation>Ein Stage-C-LoRA einrechnen (offizielles, OneTrainer- oder kohya-Format)</translation>
    </message>
    <message>
        <source>Remove all</source>
        <translation>Alle entfernen</translation>
    </message>
    <message>
        <source>Take every LoRA off again: the base weights are restored exactly</source>
        <translation>Alle LoRAs wieder entfernen: die Basisgewichte werden exakt wiederhergestellt</translation>
    </message>
    <message>
        <source>%1
Untick to take this LoRA off without forgetting it.</source>
        <translation>%1
Abwählen, um dieses LoRA abzuschalten, ohne es zu vergessen.</translation>
    </message>
    <message>
        <source>Strength: 1 = as trained, 0 = off, negative = the opposite</source>
        <translation>Stärke: 1 = wie trainiert, 0 = aus, negativ = das Gegenteil</translation>
    </message>
    <message>
        <source>Remove this LoRA</source>
        <translation>Dieses LoRA entfernen</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::MainWindow</name>
    <message>
        <source>Checkpoints in the model &amp;folder</source>
        <translation>Checkpoints im Modell&amp;ordner</translation>
    </message>
    <message>
        <source>Stage C</source>
        <translation>Stage C</translation>
    </message>
    <message>
        <source>Stage B</source>
        <translation>Stage B</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>(no Stage B/C checkpoints or LoRAs found)</source>
        <translation>(keine Stage-B/C-Checkpoints oder LoRAs gefunden)</translation>
    </message>
    <message>
        <source>Merge a Stage C LoRA (official, OneTrainer or kohya format) with a strength from -2 to 2</source>
        <translation>Ein Stage-C-LoRA (offizielles, OneTrainer- oder kohya-Format) mit einer Stärke von -2 bis 2 einrechnen</translation>
    </message>
    <message>
        <source>&amp;Remove LoRAs</source>
        <translation>LoRAs &amp;entfernen</translation>
    </message>
    <message>
        <source>Take every LoRA off again: the base weights are restored exactly</source>
        <translation>Alle LoRAs wieder entfernen: die Grundgewichte werden exakt wiederhergestellt</translation>
    </message>
    <message>
        <source>Load a Stage C LoRA</source>
        <translation>Ein Stage-C-LoRA laden</translation>
    </message>
    <message>
        <source>LoRA files (*.safetensors)</source>
        <translation>LoRA-Dateien (*.safetensors)</translation>
    </message>
    <message>
        <source>LoRA strength</source>
        <translation>LoRA-Stärke</translation>
    </message>
    <message>
        <source>Strength of %1 (-2 to 2; 1 = as trained):</source>
        <translation>Stärke von %1 (-2 bis 2; 1 = wie trainiert):</translation>
    </message>
    <message>
        <source>Kaskade</source>
        <translation>Kaskade</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generieren</translation>
    </message>
    <message>
        <source>Generate an image from the prompt; while a job runs, queue another</source>
        <translation>Ein Bild aus dem Prompt erzeugen; während ein Auftrag läuft, einen weiteren einreihen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop the running job after the current step</source>
        <translation>Den laufenden Auftrag nach dem aktuellen Schritt anhalten</translation>
    </message>
    <message>
        <source>New random &amp;seed</source>
        <translation>Neuer zufälliger &amp;Seed</translation>
    </message>
    <message>
        <source>Draw a new random seed</source>
        <translation>Einen neuen zufälligen Seed ziehen</translation>
    </message>
    <message>
        <source>&amp;Reset parameters to defaults</source>
        <translation>Parameter auf Standardwerte &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Official defaults for size, steps, CFG, shift and sampler</source>
        <translation>Offizielle Standardwerte für Größe, Schritte, CFG, Shift und Sampler</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>Modellordner ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Load Stable Cascade weights from a folder (official, diffusers or ComfyUI layout)</source>
        <translation>Stable-Cascade-Gewichte aus einem Ordner laden (offizielles, diffusers- oder ComfyUI-Layout)</translation>
    </message>
    <message>
        <source>&amp;Download Stable Cascade…</source>
        <translation>Stable Cascade &amp;herunterladen…</translation>
    </message>
    <message>
        <source>Download the official weights from Hugging Face (resumable)</source>
        <translation>Die offiziellen Gewichte von Hugging Face herunterladen (fortsetzbar)</translation>
    </message>
    <message>
        <source>Load Stage &amp;C checkpoint…</source>
        <translation>Stage-&amp;C-Checkpoint laden…</translation>
    </message>
    <message>
        <source>Replace Stage C with a fine-tuned .safetensors file</source>
        <translation>Stage C durch eine feinabgestimmte .safetensors-Datei ersetzen</translation>
    </message>
    <message>
        <source>Load Stage &amp;B checkpoint…</source>
        <translation>Stage-&amp;B-Checkpoint laden…</translation>
    </message>
    <message>
        <source>Replace Stage B with a fine-tuned .safetensors file</source>
        <translation>Stage B durch eine feinabgestimmte .safetensors-Datei ersetzen</translation>
    </message>
    <message>
        <source>Load &amp;LoRA…</source>
        <translation>&amp;LoRA laden…</translation>
    </message>
    <message>
        <source>Use &amp;demo model</source>
        <translation>&amp;Demomodell verwenden</translation>
    </message>
    <message>
        <source>Random weights that draw noise: for trying the app without the real weights</source>
        <translation>Zufällige Gewichte, die Rauschen malen: zum Ausprobieren der App ohne die echten Gewichte</translation>
    </message>
    <message>
        <source>&amp;Save image as…</source>
        <translation>Bild &amp;speichern unter…</translation>
    </message>
    <message>
        <source>&amp;Copy image</source>
        <translation>Bild &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the selected image to the clipboard</source>
        <translation>Das ausgewählte Bild in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Copy &amp;parameters</source>
        <translation>&amp;Parameter kopieren</translation>
    </message>
    <message>
        <source>Copy the selected image&apos;s parameters as text (A1111 format)</source>
        <translation>Die Parameter des ausgewählten Bildes als Text kopieren (A1111-Format)</translation>
    </message>
    <message>
        <source>&amp;Reuse parameters</source>
        <translation>Parameter &amp;wiederverwenden</translation>
    </message>
    <message>
        <source>Fill the prompt and every parameter from the selected image</source>
        <translation>Prompt und alle Parameter aus dem ausgewählten Bild übernehmen</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Open output &amp;folder</source>
        <translation>Ausgabe&amp;ordner öffnen</translation>
    </message>
    <message>
        <source>Show the folder the images are saved in</source>
        <translation>Den Ordner anzeigen, in dem die Bilder gespeichert werden</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit Kaskade</source>
        <translation>Kaskade beenden</translation>
    </message>
    <message>
        <source>&amp;About Kaskade</source>
        <translation>&amp;Über Kaskade</translation>
    </message>
    <message>
        <source>Versions and licences</source>
        <translation>Versionen und Lizenzen</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Qt version and licence</source>
        <translation>Qt-Version und -Lizenz</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>&amp;Bild</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <source>&amp;Recent models</source>
        <translation>&amp;Zuletzt verwendete Modelle</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model: it draws noise.&lt;/b&gt; No Stable Cascade weights were found, so Kaskade loaded a model with random weights to show how everything works. To make real images, download the weights from Hugging Face (&lt;a href=&quot;https://huggingface.co/stabilityai/stable-cascade&quot;&gt;stabilityai/stable-cascade&lt;/a&gt;; non-commercial licence) with Model ▸ Download Stable Cascade…, or open a folder that has them.</source>
        <translation>&lt;b&gt;Demomodell: Es malt Rauschen.&lt;/b&gt; Es wurden keine Stable-Cascade-Gewichte gefunden, daher hat Kaskade ein Modell mit zufälligen Gewichten geladen, um zu zeigen, wie alles funktioniert. Für echte Bilder laden Sie die Gewichte von Hugging Face herunter (&lt;a href=&quot;https://huggingface.co/stabilityai/stable-cascade&quot;&gt;stabilityai/stable-cascade&lt;/a&gt;; nicht-kommerzielle Lizenz) mit Modell ▸ Stable Cascade herunterladen…, oder öffnen Sie einen Ordner, der sie enthält.</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>Modellordner öffnen…</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <source>Type a prompt and press Ctrl+Return.
The image forms here step by step.</source>
        <translation>Geben Sie einen Prompt ein und drücken Sie Strg+Eingabe.
Das Bild entsteht hier Schritt für Schritt.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>Generierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>Demo model loaded (it draws noise)</source>
        <translation>Demomodell geladen (es malt Rauschen)</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>Modell geladen</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>&amp;Einreihen</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>Demo model (draws noise)</source>
        <translation>Demomodell (malt Rauschen)</translation>
    </message>
    <message>
        <source> · %1 in memory</source>
        <translation> · %1 im Speicher</translation>
    </message>
    <message>
        <source>The job waits until a model is loaded (Model ▸ Open model folder…).</source>
        <translation>Der Auftrag wartet, bis ein Modell geladen ist (Modell ▸ Modellordner öffnen…).</translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n job(s) waiting</source>
        <translation>
            <numerusform>Eingereiht: %n Auftrag wartet</numerusform>
            <numerusform>Eingereiht: %n Aufträge warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished %n image(s) in %1 s</source>
        <translation>
            <numerusform>%n Bild in %1 s fertig</numerusform>
            <numerusform>%n Bilder in %1 s fertig</numerusform>
        </translation>
    </message>
    <message>
        <source>The image could not be saved</source>
        <translation>Das Bild konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Save image as</source>
        <translation>Bild speichern unter</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>This image carries no parameters.</source>
        <translation>Dieses Bild enthält keine Parameter.</translation>
    </message>
    <message>
        <source>Parameters restored (seed %1 locked)</source>
        <translation>Parameter wiederhergestellt (Seed %1 gesperrt)</translation>
    </message>
    <message>
        <source>The image could not be deleted</source>
        <translation>Das Bild konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>%1 carries no generation parameters.</source>
        <translation>%1 enthält keine Generierungsparameter.</translation>
    </message>
    <message>
        <source>Parameters restored from %1 (%2 metadata)</source>
        <translation>Parameter aus %1 wiederhergestellt (%2-Metadaten)</translation>
    </message>
    <message>
        <source>The parameters could not be read</source>
        <translation>Die Parameter konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Open a Stable Cascade model folder (official, diffusers or ComfyUI layout)</source>
        <translation>Einen Stable-Cascade-Modellordner öffnen (offizielles, diffusers- oder ComfyUI-Layout)</translation>
    </message>
    <message>
        <source>Load a Stage C checkpoint</source>
        <translation>Einen Stage-C-Checkpoint laden</translation>
    </message>
    <message>
        <source>Load a Stage B checkpoint</source>
        <translation>Einen Stage-B-Checkpoint laden</translation>
    </message>
    <message>
        <source>Safetensors checkpoints (*.safetensors)</source>
        <translation>Safetensors-Checkpoints (*.safetensors)</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(noch keine)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The new language is used the next time Kaskade starts.</source>
        <translation>Die neue Sprache wird beim nächsten Start von Kaskade verwendet.</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kaskade %1&lt;/h3&gt;&lt;p&gt;A desktop app for Stable Cascade text-to-image generation.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;%3&lt;br&gt;CUDA: %4&lt;/p&gt;&lt;p&gt;&lt;b&gt;Model weights:&lt;/b&gt; Stable Cascade is released by Stability AI under the &lt;i&gt;Stability AI Non-Commercial Research Community License&lt;/i&gt;. The weights are not part of Kaskade; images you make with them may only be used as that licence allows.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Kaskade %1&lt;/h3&gt;&lt;p&gt;Eine Desktop-App für Text-zu-Bild-Generierung mit Stable Cascade.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;%3&lt;br&gt;CUDA: %4&lt;/p&gt;&lt;p&gt;&lt;b&gt;Modellgewichte:&lt;/b&gt; Stable Cascade wird von Stability AI unter der &lt;i&gt;Stability AI Non-Commercial Research Community License&lt;/i&gt; veröffentlicht. Die Gewichte sind nicht Teil von Kaskade; damit erzeugte Bilder dürfen nur so verwendet werden, wie diese Lizenz es erlaubt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Kaskade</source>
        <translation>Über Kaskade</translation>
    </message>
    <message>
        <source>Open &amp;image…</source>
        <translation>B&amp;ild öffnen…</translation>
    </message>
    <message>
        <source>Restore the prompt and parameters stored in an image (Kaskade, A1111 or ComfyUI)</source>
        <translation>Prompt und Parameter aus einem Bild übernehmen (Kaskade, A1111 oder ComfyUI)</translation>
    </message>
    <message>
        <source>Save the selected image as PNG, JPEG or WebP with its parameters</source>
        <translation>Das ausgewählte Bild als PNG, JPEG oder WebP mit seinen Parametern speichern</translation>
    </message>
    <message>
        <source>&amp;View full size</source>
        <translation>In voller &amp;Größe ansehen</translation>
    </message>
    <message>
        <source>Open the selected image in the viewer: zoom, pan, previous and next</source>
        <translation>Das ausgewählte Bild im Betrachter öffnen: zoomen, verschieben, vor und zurück</translation>
    </message>
    <message>
        <source>C&amp;ompare two images</source>
        <translation>Zwei Bilder &amp;vergleichen</translation>
    </message>
    <message>
        <source>Show the two selected images side by side or with a swipe divider</source>
        <translation>Die zwei ausgewählten Bilder nebeneinander oder mit Wischtrenner zeigen</translation>
    </message>
    <message>
        <source>Move the selected images to the trash (Edit ▸ Undo brings them back)</source>
        <translation>Die ausgewählten Bilder in den Papierkorb verschieben (Bearbeiten ▸ Rückgängig holt sie zurück)</translation>
    </message>
    <message>
        <source>&amp;Undo delete</source>
        <translation>Löschen &amp;rückgängig</translation>
    </message>
    <message>
        <source>Bring the images deleted last back from the trash</source>
        <translation>Die zuletzt gelöschten Bilder aus dem Papierkorb zurückholen</translation>
    </message>
    <message>
        <source>Output folder, model folder, device, language, theme</source>
        <translation>Ausgabeordner, Modellordner, Gerät, Sprache, Farbschema</translation>
    </message>
    <message>
        <source>&amp;Train LoRA…</source>
        <translation>LoRA &amp;trainieren…</translation>
    </message>
    <message>
        <source>Fine-tune Stage C on a folder of pictures (the official LoRA recipe)</source>
        <translation>Stage C an einem Bilderordner feinabstimmen (das offizielle LoRA-Rezept)</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>LoRAs</source>
        <translation>LoRAs</translation>
    </message>
    <message>
        <source>LoRAs (%1)</source>
        <translation>LoRAs (%1)</translation>
    </message>
    <message>
        <source>Loading the previous model again…</source>
        <translation>Das vorherige Modell wird wieder geladen…</translation>
    </message>
    <message>
        <source>The previous model stays loaded.</source>
        <translation>Das vorherige Modell bleibt geladen.</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA %1</source>
        <translation>CUDA %1</translation>
    </message>
    <message>
        <source>Stage C %1</source>
        <translation>Stage C %1</translation>
    </message>
    <message>
        <source>Stage B %1</source>
        <translation>Stage B %1</translation>
    </message>
    <message numerus="yes">
        <source>%n LoRA(s)</source>
        <translation>
            <numerusform>%n LoRA</numerusform>
            <numerusform>%n LoRAs</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot start the job</source>
        <translation>Der Auftrag kann nicht starten</translation>
    </message>
    <message>
        <source>JPEG images (*.jpg *.jpeg)</source>
        <translation>JPEG-Bilder (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>WebP images (*.webp)</source>
        <translation>WebP-Bilder (*.webp)</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings them back.</source>
        <translation>
            <numerusform>%n Bild in den Papierkorb verschoben. Bild ▸ Löschen rückgängig (Strg+Z) holt es zurück.</numerusform>
            <numerusform>%n Bilder in den Papierkorb verschoben. Bild ▸ Löschen rückgängig (Strg+Z) holt sie zurück.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) deleted.</source>
        <translation>
            <numerusform>%n Bild gelöscht.</numerusform>
            <numerusform>%n Bilder gelöscht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) restored.</source>
        <translation>
            <numerusform>%n Bild wiederhergestellt.</numerusform>
            <numerusform>%n Bilder wiederhergestellt.</numerusform>
        </translation>
    </message>
    <message>
        <source>The image could not be restored from the trash</source>
        <translation>Das Bild konnte nicht aus dem Papierkorb zurückgeholt werden</translation>
    </message>
    <message>
        <source>Select two images to compare (Ctrl+click).</source>
        <translation>Wählen Sie zwei Bilder zum Vergleichen (Strg+Klick).</translation>
    </message>
    <message>
        <source>Input pictures not found: %1</source>
        <translation>Eingabebilder nicht gefunden: %1</translation>
    </message>
    <message>
        <source>Parameters restored from %1, but its sampler &quot;%2&quot; is not available in Kaskade: the sampler is set to DDPM (official), so the image will differ.</source>
        <translation>Parameter aus %1 übernommen, aber sein Sampler „%2“ ist in Kaskade nicht verfügbar: der Sampler ist auf DDPM (offiziell) gesetzt, das Bild wird also anders.</translation>
    </message>
    <message>
        <source>Sampler not available</source>
        <translation>Sampler nicht verfügbar</translation>
    </message>
    <message>
        <source>Open an image to restore its parameters</source>
        <translation>Ein Bild öffnen, um seine Parameter zu übernehmen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>LoRA not found</source>
        <translation>LoRA nicht gefunden</translation>
    </message>
    <message>
        <source>The prompt names %1, but no LoRA file of that name is in the model folder %2. Put the .safetensors file there (or in its loras folder), or remove the tag.</source>
        <translation>Der Prompt nennt %1, aber im Modellordner %2 gibt es keine LoRA-Datei dieses Namens. Legen Sie die .safetensors-Datei dorthin (oder in seinen Ordner loras), oder entfernen Sie den Tag.</translation>
    </message>
    <message>
        <source>(looking through the model folder…)</source>
        <translation>(Modellordner wird durchsucht…)</translation>
    </message>
    <message>
        <source>Settings this version does not know use their defaults: %1</source>
        <translation>Einstellungen, die diese Version nicht kennt, verwenden ihre Standardwerte: %1</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::MaskPainter</name>
    <message>
        <source>Inpainting mask</source>
        <translation>Inpainting-Maske</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Brush diameter in pixels of the picture ([ and ] change it)</source>
        <translation>Pinseldurchmesser in Bildpixeln ([ und ] ändern ihn)</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>&amp;Radierer</translation>
    </message>
    <message>
        <source>Paint with the eraser: the picture is kept there (E)</source>
        <translation>Mit dem Radierer malen: dort bleibt das Bild erhalten (E)</translation>
    </message>
    <message>
        <source>&amp;Invert</source>
        <translation>&amp;Umkehren</translation>
    </message>
    <message>
        <source>Repaint everything except what is painted now (I)</source>
        <translation>Alles neu malen außer dem jetzt Bemalten (I)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <source>Remove the whole mask</source>
        <translation>Die ganze Maske entfernen</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Take back the last stroke, invert or clear (Ctrl+Z)</source>
        <translation>Den letzten Strich, das Umkehren oder Leeren zurücknehmen (Strg+Z)</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>Pinsel:</translation>
    </message>
    <message>
        <source>Extend the canvas (outpainting)</source>
        <translation>Leinwand erweitern (Outpainting)</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Links</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Oben</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Rechts</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>Unten</translation>
    </message>
    <message>
        <source>Paint over what should be repainted (shown in red); the rest of the picture is kept. Extended canvas is always painted.</source>
        <translation>Übermalen Sie, was neu gemalt werden soll (rot dargestellt); der Rest des Bildes bleibt. Erweiterte Leinwand wird immer gemalt.</translation>
    </message>
    <message>
        <source>New size: %1 × %2</source>
        <translation>Neue Größe: %1 × %2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ModelController</name>
    <message>
        <source>the demo model</source>
        <translation>das Demo-Modell</translation>
    </message>
    <message>
        <source>The model in %1 could not be loaded</source>
        <translation>Das Modell in %1 konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>The Stage C checkpoint %1 could not be loaded</source>
        <translation>Der Stage-C-Checkpoint %1 konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>The Stage B checkpoint %1 could not be loaded</source>
        <translation>Der Stage-B-Checkpoint %1 konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>The LoRAs could not be applied</source>
        <translation>Die LoRAs konnten nicht angewendet werden</translation>
    </message>
    <message>
        <source>The LoRA %1 could not be applied</source>
        <translation>Das LoRA %1 konnte nicht angewendet werden</translation>
    </message>
    <message>
        <source>The model could not be moved to %1</source>
        <translation>Das Modell konnte nicht auf %1 verschoben werden</translation>
    </message>
    <message>
        <source>The previous model could not be loaded again</source>
        <translation>Das vorherige Modell konnte nicht wieder geladen werden</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>Das Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage C LoRA, or it was trained for another Stage C (lite or full). Check the file, or pick one in Model ▸ Checkpoints in the model folder.</source>
        <translation>Die Datei ist kein Stage-C-LoRA für Stable Cascade, oder es wurde für ein anderes Stage C (lite oder voll) trainiert. Prüfen Sie die Datei oder wählen Sie eines unter Modell ▸ Checkpoints im Modellordner.</translation>
    </message>
    <message>
        <source>The LoRA file was not found. It may have been moved or deleted.</source>
        <translation>Die LoRA-Datei wurde nicht gefunden. Sie wurde vielleicht verschoben oder gelöscht.</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage C checkpoint (it may be a Stage B, a LoRA or a checkpoint of another model), or it is damaged.</source>
        <translation>Die Datei ist kein Stage-C-Checkpoint für Stable Cascade (vielleicht ein Stage B, ein LoRA oder ein Checkpoint eines anderen Modells), oder sie ist beschädigt.</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage B checkpoint (it may be a Stage C, a LoRA or a checkpoint of another model), or it is damaged.</source>
        <translation>Die Datei ist kein Stage-B-Checkpoint für Stable Cascade (vielleicht ein Stage C, ein LoRA oder ein Checkpoint eines anderen Modells), oder sie ist beschädigt.</translation>
    </message>
    <message>
        <source>The folder does not hold a complete Stable Cascade model (Stage C, Stage B, Stage A, text encoder and tokenizer). Open a folder with the official files, a diffusers snapshot or a ComfyUI models folder; kaskade-cli inspect FOLDER lists what is missing.</source>
        <translation>Der Ordner enthält kein vollständiges Stable-Cascade-Modell (Stage C, Stage B, Stage A, Text-Encoder und Tokenizer). Öffnen Sie einen Ordner mit den offiziellen Dateien, einen diffusers-Snapshot oder einen ComfyUI-Modellordner; kaskade-cli inspect ORDNER listet, was fehlt.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ParameterPanel</name>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>CFG-Skala</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>%1  (%2 × %3)</source>
        <translation>%1  (%2 × %3)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Image size in pixels; snapped to a multiple of 128 when you leave the field.</source>
        <translation>Bildgröße in Pixeln; wird beim Verlassen des Feldes auf ein Vielfaches von 128 gerundet.</translation>
    </message>
    <message>
        <source>Swap width and height</source>
        <translation>Breite und Höhe tauschen</translation>
    </message>
    <message>
        <source>Images per job, generated together (more memory, same seed sequence).</source>
        <translation>Bilder pro Auftrag, gemeinsam erzeugt (mehr Speicher, gleiche Seed-Folge).</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>Start noise. The same seed and parameters give the same image. Unlocked, every job draws a new seed and shows it here.</source>
        <translation>Startrauschen. Gleicher Seed und gleiche Parameter ergeben dasselbe Bild. Ungesperrt zieht jeder Auftrag einen neuen Seed und zeigt ihn hier an.</translation>
    </message>
    <message>
        <source>New random seed</source>
        <translation>Neuer zufälliger Seed</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Keep this seed for every job instead of drawing a new one.</source>
        <translation>Diesen Seed für jeden Auftrag behalten, statt einen neuen zu ziehen.</translation>
    </message>
    <message>
        <source>Aspect</source>
        <translation>Seitenverhältnis</translation>
    </message>
    <message>
        <source>Width × height</source>
        <translation>Breite × Höhe</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Stage C (composition)</source>
        <translation>Stage C (Komposition)</translation>
    </message>
    <message>
        <source>Stage B (detail)</source>
        <translation>Stage B (Details)</translation>
    </message>
    <message>
        <source>Stage C sampling steps: the 24×24 latent that fixes the composition (official: 20).</source>
        <translation>Sampling-Schritte für Stage C: das 24×24-Latent, das die Komposition festlegt (offiziell: 20).</translation>
    </message>
    <message>
        <source>How strongly Stage C follows the prompt (official: 4). 0 switches guidance off.</source>
        <translation>Wie stark Stage C dem Prompt folgt (offiziell: 4). 0 schaltet die Führung ab.</translation>
    </message>
    <message>
        <source>Noise schedule shift for Stage C (official: 2). Higher spends more steps on coarse structure.</source>
        <translation>Verschiebung des Rauschplans für Stage C (offiziell: 2). Höhere Werte verwenden mehr Schritte auf die grobe Struktur.</translation>
    </message>
    <message>
        <source>Stage B sampling steps: turns the composition into detailed latents (official: 10).</source>
        <translation>Sampling-Schritte für Stage B: macht aus der Komposition detaillierte Latents (offiziell: 10).</translation>
    </message>
    <message>
        <source>How strongly Stage B follows the prompt (official: 1.1).</source>
        <translation>Wie stark Stage B dem Prompt folgt (offiziell: 1,1).</translation>
    </message>
    <message>
        <source>Noise schedule shift for Stage B (official: 1).</source>
        <translation>Verschiebung des Rauschplans für Stage B (offiziell: 1).</translation>
    </message>
    <message>
        <source>Sampler and device</source>
        <translation>Sampler und Gerät</translation>
    </message>
    <message>
        <source>Sampler for both stages. DDPM is what the official code uses.</source>
        <translation>Sampler für beide Stufen. DDPM verwendet auch der offizielle Code.</translation>
    </message>
    <message>
        <source>Where the models run. Changing it reloads the model before the next job.</source>
        <translation>Wo die Modelle laufen. Eine Änderung lädt das Modell vor dem nächsten Auftrag neu.</translation>
    </message>
    <message>
        <source>Number format of the weights. fp16 can produce black images with Stage C; bf16 is the safe choice on recent GPUs.</source>
        <translation>Zahlenformat der Gewichte. fp16 kann mit Stage C schwarze Bilder erzeugen; bf16 ist auf aktuellen GPUs die sichere Wahl.</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>Auf Standardwerte zurücksetzen</translation>
    </message>
    <message>
        <source>Official defaults: 1024 × 1024, Stage C 20 steps / CFG 4 / shift 2, Stage B 10 steps / CFG 1.1 / shift 1, DDPM.</source>
        <translation>Offizielle Standardwerte: 1024 × 1024, Stage C 20 Schritte / CFG 4 / Shift 2, Stage B 10 Schritte / CFG 1,1 / Shift 1, DDPM.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>%1  (%2 × %3, fast)</source>
        <translation>%1  (%2 × %3, schnell)</translation>
    </message>
    <message>
        <source>Aspect-ratio presets at sizes Stable Cascade handles well (multiples of 128 px, about one megapixel; the &quot;fast&quot; ones have a quarter of the pixels, for trying prompts on the CPU).</source>
        <translation>Seitenverhältnis-Vorlagen in Größen, die Stable Cascade gut verarbeitet (Vielfache von 128 px, etwa ein Megapixel; die „schnellen“ haben ein Viertel der Pixel, zum Ausprobieren von Prompts auf der CPU).</translation>
    </message>
    <message>
        <source>CFG rescale (rho): pulls the guided prediction&apos;s spread back towards the unguided one, against over-saturation at high CFG (official: 0.7; 0 = off).</source>
        <translation>CFG-Rescale (rho): zieht die Streuung der geführten Vorhersage zur ungeführten zurück, gegen Übersättigung bei hohem CFG (offiziell: 0,7; 0 = aus).</translation>
    </message>
    <message>
        <source>Official (size ÷ 42.67)</source>
        <translation>Offiziell (Größe ÷ 42,67)</translation>
    </message>
    <message>
        <source>Stage C latent size, as ComfyUI&apos;s &quot;compression&quot;: the image size divided by this number. Lower values (about 32) give more detail and take longer; the official rule gives 24 × 24 at 1024².</source>
        <translation>Latente Größe von Stage C wie ComfyUIs „compression“: die Bildgröße geteilt durch diese Zahl. Kleinere Werte (etwa 32) geben mehr Details und dauern länger; die offizielle Regel ergibt 24 × 24 bei 1024².</translation>
    </message>
    <message>
        <source>CFG rescale</source>
        <translation>CFG-Rescale</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Kompression</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::PreferencesDialog</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Ordner wählen</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Every finished image is saved here as PNG with its parameters.</source>
        <translation>Jedes fertige Bild wird hier als PNG mit seinen Parametern gespeichert.</translation>
    </message>
    <message>
        <source>demo model (draws noise)</source>
        <translation>Demomodell (malt Rauschen)</translation>
    </message>
    <message>
        <source>Folder with the Stable Cascade weights (official, diffusers or ComfyUI layout).</source>
        <translation>Ordner mit den Stable-Cascade-Gewichten (offizielles, diffusers- oder ComfyUI-Layout).</translation>
    </message>
    <message>
        <source>Where the models run.</source>
        <translation>Wo die Modelle laufen.</translation>
    </message>
    <message>
        <source>Number format of the weights.</source>
        <translation>Zahlenformat der Gewichte.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Takes effect the next time Kaskade starts.</source>
        <translation>Wirkt beim nächsten Start von Kaskade.</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>Alle Kerne (%1)</translation>
    </message>
    <message>
        <source>CPU threads used for inference on the CPU.</source>
        <translation>CPU-Threads für die Inferenz auf der CPU.</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>&amp;Output folder</source>
        <translation>&amp;Ausgabeordner</translation>
    </message>
    <message>
        <source>&amp;Model folder</source>
        <translation>&amp;Modellordner</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation>Ge&amp;nauigkeit</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>CPU &amp;threads</source>
        <translation>CPU-&amp;Threads</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Colours of the window: follow the system, or always light or dark.</source>
        <translation>Farben des Fensters: dem System folgen oder immer hell oder dunkel.</translation>
    </message>
    <message>
        <source>T&amp;heme</source>
        <translation>Farb&amp;schema</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::PreviewPane</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the running job after the current step (Esc)</source>
        <translation>Den laufenden Auftrag nach dem aktuellen Schritt anhalten (Esc)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Laden</translation>
    </message>
    <message>
        <source>Text encoder</source>
        <translation>Text-Encoder</translation>
    </message>
    <message>
        <source>Stage C</source>
        <translation>Stage C</translation>
    </message>
    <message>
        <source>Stage B</source>
        <translation>Stage B</translation>
    </message>
    <message>
        <source>Stage A</source>
        <translation>Stage A</translation>
    </message>
    <message>
        <source>%1: step %2 of %3</source>
        <translation>%1: Schritt %2 von %3</translation>
    </message>
    <message>
        <source>%1 · step %2/%3</source>
        <translation>%1 · Schritt %2/%3</translation>
    </message>
    <message>
        <source> · %1 it/s</source>
        <translation> · %1 it/s</translation>
    </message>
    <message>
        <source> · %1 s/it</source>
        <translation> · %1 s/it</translation>
    </message>
    <message>
        <source> · ETA %1</source>
        <translation> · noch etwa %1</translation>
    </message>
    <message>
        <source> · elapsed %1</source>
        <translation> · vergangen %1</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::PromptEditor</name>
    <message>
        <source>&amp;Prompt</source>
        <translation>&amp;Prompt</translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation>&amp;Negativer Prompt</translation>
    </message>
    <message>
        <source>Describe the image, e.g. a lighthouse at dusk, (oil painting:1.2)</source>
        <translation>Beschreiben Sie das Bild, z. B. a lighthouse at dusk, (oil painting:1.2)</translation>
    </message>
    <message>
        <source>What the image should not show</source>
        <translation>Was das Bild nicht zeigen soll</translation>
    </message>
    <message>
        <source>Emphasis: (word:1.2) weights words, (word) multiplies by 1.1, [word] divides by 1.1.
Alt+Up / Alt+Down: previous prompts. Ctrl+Return: generate.</source>
        <translation>Betonung: (Wort:1.2) gewichtet Wörter, (Wort) multipliziert mit 1,1, [Wort] teilt durch 1,1.
Alt+Hoch / Alt+Runter: frühere Prompts. Strg+Eingabe: generieren.</translation>
    </message>
    <message>
        <source>Text the image is steered away from (classifier-free guidance).</source>
        <translation>Text, von dem das Bild weggelenkt wird (Classifier-free Guidance).</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 Token</translation>
    </message>
    <message>
        <source>More than %1 tokens: the prompt is encoded in 75-token chunks; the model weighs later chunks less reliably.</source>
        <translation>Mehr als %1 Token: Der Prompt wird in Abschnitten zu 75 Token kodiert; spätere Abschnitte berücksichtigt das Modell weniger zuverlässig.</translation>
    </message>
    <message>
        <source>Approximate CLIP token count; the text encoder reads 75 tokens at a time.</source>
        <translation>Ungefähre Anzahl der CLIP-Token; der Text-Encoder liest 75 Token auf einmal.</translation>
    </message>
    <message>
        <source>CLIP token count; the text encoder reads 75 tokens at a time.</source>
        <translation>Anzahl der CLIP-Token; der Text-Encoder liest 75 Token auf einmal.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Earlier prompts (Alt+Up / Alt+Down)</source>
        <translation>Frühere Prompts (Alt+Hoch / Alt+Runter)</translation>
    </message>
    <message>
        <source>A prompt holds at most %L1 characters: the rest of the text was left out.</source>
        <translation>Ein Prompt fasst höchstens %L1 Zeichen: der Rest des Textes wurde weggelassen.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::QueuePanel</name>
    <message>
        <source>(empty prompt)</source>
        <translation>(leerer Prompt)</translation>
    </message>
    <message>
        <source>Jobs run from top to bottom. Select queued jobs and press Delete to remove them.</source>
        <translation>Aufträge laufen von oben nach unten. Wählen Sie wartende Aufträge aus und drücken Sie Entf, um sie zu entfernen.</translation>
    </message>
    <message>
        <source>Remove the selected queued jobs (Delete)</source>
        <translation>Die ausgewählten wartenden Aufträge entfernen (Entf)</translation>
    </message>
    <message>
        <source>Remove all queued jobs</source>
        <translation>Alle wartenden Aufträge entfernen</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Läuft: %1</translation>
    </message>
    <message numerus="yes">
        <source>Queue: %n job(s) waiting</source>
        <translation>
            <numerusform>Warteschlange: %n Auftrag wartet</numerusform>
            <numerusform>Warteschlange: %n Aufträge warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>image to image</source>
        <translation>Bild zu Bild</translation>
    </message>
    <message>
        <source>variation</source>
        <translation>Variation</translation>
    </message>
    <message>
        <source>canny edges</source>
        <translation>Canny-Kanten</translation>
    </message>
    <message>
        <source>inpainting</source>
        <translation>Inpainting</translation>
    </message>
    <message>
        <source>outpainting</source>
        <translation>Outpainting</translation>
    </message>
    <message>
        <source>upscaling</source>
        <translation>Hochskalieren</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <source>%1×%2, %3</source>
        <translation>%1×%2, %3</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2, %3</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::TrainLoraDialog</name>
    <message>
        <source>Train LoRA</source>
        <translation>LoRA trainieren</translation>
    </message>
    <message>
        <source>Folder of pictures (captions in same-name .txt files)</source>
        <translation>Bilderordner (Beschriftungen in gleichnamigen .txt-Dateien)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Beschriftung</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>A new word the LoRA learns, written [..] or &lt;..&gt;; use it in the captions</source>
        <translation>Ein neues Wort, das das LoRA lernt, geschrieben [..] oder &lt;..&gt;; verwenden Sie es in den Beschriftungen</translation>
    </message>
    <message>
        <source>Start the token from the mean embedding of the vocabulary entries matching this regex</source>
        <translation>Das Token mit dem mittleren Embedding der Vokabeleinträge beginnen, die auf diesen regulären Ausdruck passen</translation>
    </message>
    <message>
        <source>Caption of pictures without their own</source>
        <translation>Beschriftung für Bilder ohne eigene</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Trigger &amp;token:</source>
        <translation>Auslöse-&amp;Token:</translation>
    </message>
    <message>
        <source>&amp;Initialise from:</source>
        <translation>&amp;Initialisieren aus:</translation>
    </message>
    <message>
        <source>Default &amp;caption:</source>
        <translation>Standard-&amp;Beschriftung:</translation>
    </message>
    <message>
        <source>&amp;Steps:</source>
        <translation>&amp;Schritte:</translation>
    </message>
    <message>
        <source>&amp;Rank:</source>
        <translation>&amp;Rang:</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>&amp;Lernrate:</translation>
    </message>
    <message>
        <source>Resol&amp;ution:</source>
        <translation>A&amp;uflösung:</translation>
    </message>
    <message>
        <source>&amp;Batch:</source>
        <translation>&amp;Batch:</translation>
    </message>
    <message>
        <source>Sample &amp;every:</source>
        <translation>Beispiel &amp;alle:</translation>
    </message>
    <message>
        <source>Sample &amp;prompt:</source>
        <translation>Beispiel-&amp;Prompt:</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Ausgabe:</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Loss per update</source>
        <translation>Loss pro Update</translation>
    </message>
    <message>
        <source>Samples appear here</source>
        <translation>Beispiele erscheinen hier</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Trainieren</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>&amp;Load LoRA</source>
        <translation>LoRA &amp;laden</translation>
    </message>
    <message>
        <source>Export for &amp;ComfyUI…</source>
        <translation>Für &amp;ComfyUI exportieren…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Loaded %1 into the model</source>
        <translation>%1 in das Modell geladen</translation>
    </message>
    <message>
        <source>Open a model folder first (Model ▸ Open model folder…): training needs Stage C, the text encoder and the EfficientNet encoder.</source>
        <translation>Öffnen Sie zuerst einen Modellordner (Modell ▸ Modellordner öffnen…): das Training braucht Stage C, den Text-Encoder und den EfficientNet-Encoder.</translation>
    </message>
    <message>
        <source>Empty: the default caption</source>
        <translation>Leer: die Standard-Beschriftung</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder of training pictures</source>
        <translation>Ordner der Trainingsbilder</translation>
    </message>
    <message>
        <source>Save the LoRA as</source>
        <translation>LoRA speichern unter</translation>
    </message>
    <message>
        <source>LoRA (*.safetensors)</source>
        <translation>LoRA (*.safetensors)</translation>
    </message>
    <message>
        <source>Open a model folder first.</source>
        <translation>Öffnen Sie zuerst einen Modellordner.</translation>
    </message>
    <message>
        <source>The folder has no pictures.</source>
        <translation>Der Ordner enthält keine Bilder.</translation>
    </message>
    <message>
        <source>Sample after update %1</source>
        <translation>Beispiel nach Update %1</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>Wird fortgesetzt…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Export for ComfyUI</source>
        <translation>Für ComfyUI exportieren</translation>
    </message>
    <message>
        <source>Pausing after the current step…</source>
        <translation>Pause nach dem aktuellen Schritt…</translation>
    </message>
    <message>
        <source>Update %1 of %2 · loss %3 · lr %4 · %5 left</source>
        <translation>Update %1 von %2 · Loss %3 · LR %4 · noch %5</translation>
    </message>
    <message>
        <source>Cancelled. The LoRA so far is in %1.</source>
        <translation>Abgebrochen. Das bisherige LoRA liegt in %1.</translation>
    </message>
    <message>
        <source>Paused. Resume continues from %1.</source>
        <translation>Pausiert. Fortsetzen macht bei %1 weiter.</translation>
    </message>
    <message>
        <source>Done: %1 (held-out loss %2 → %3)</source>
        <translation>Fertig: %1 (Loss der zurückgehaltenen Daten %2 → %3)</translation>
    </message>
    <message>
        <source>Training is running. Stop it (a checkpoint is written) and close?</source>
        <translation>Das Training läuft. Anhalten (ein Checkpoint wird geschrieben) und schließen?</translation>
    </message>
    <message>
        <source>&amp;Aspect buckets (keep portrait and landscape framing)</source>
        <translation>&amp;Seitenverhältnis-Gruppen (Hoch- und Querformat behalten)</translation>
    </message>
    <message>
        <source>Group the pictures by aspect ratio into sizes of about resolution² pixels instead of cropping every picture to a square</source>
        <translation>Die Bilder nach Seitenverhältnis in Größen von etwa Auflösung² Pixeln gruppieren, statt jedes Bild quadratisch zuzuschneiden</translation>
    </message>
    <message>
        <source>Write the LoRA under ComfyUI&apos;s lora_prior_unet_* names, and the learned token as a ComfyUI embedding in an embeddings folder next to it</source>
        <translation>Das LoRA unter den lora_prior_unet_*-Namen von ComfyUI schreiben und das gelernte Token als ComfyUI-Embedding in einen embeddings-Ordner daneben</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
</context>
</TS>
