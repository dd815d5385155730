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
        <source>The device failed or ran out of memory. Try a smaller size, fewer images per job or the CPU.</source>
        <translation>Das Gerät ist ausgefallen oder hat keinen Speicher mehr. Versuchen Sie eine kleinere Größe, weniger Bilder pro Auftrag oder die CPU.</translation>
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
        <source>Save the selected image as PNG with its parameters</source>
        <translation>Das ausgewählte Bild als PNG mit seinen Parametern speichern</translation>
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
        <source>Copy the selected image's parameters as text (A1111 format)</source>
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
        <source>Move the selected images to the trash</source>
        <translation>Die ausgewählten Bilder in den Papierkorb verschieben</translation>
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
        <source>Output folder, model folder, device, language</source>
        <translation>Ausgabeordner, Modellordner, Gerät, Sprache</translation>
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
        <source>&lt;b&gt;Demo model: it draws noise.&lt;/b&gt; No Stable Cascade weights were found, so Kaskade loaded a model with random weights to show how everything works. To make real images, download the weights from Hugging Face (&lt;a href="https://huggingface.co/stabilityai/stable-cascade"&gt;stabilityai/stable-cascade&lt;/a&gt;; non-commercial licence) with Model ▸ Download Stable Cascade…, or open a folder that has them.</source>
        <translation>&lt;b&gt;Demomodell: Es malt Rauschen.&lt;/b&gt; Es wurden keine Stable-Cascade-Gewichte gefunden, daher hat Kaskade ein Modell mit zufälligen Gewichten geladen, um zu zeigen, wie alles funktioniert. Für echte Bilder laden Sie die Gewichte von Hugging Face herunter (&lt;a href="https://huggingface.co/stabilityai/stable-cascade"&gt;stabilityai/stable-cascade&lt;/a&gt;; nicht-kommerzielle Lizenz) mit Modell ▸ Stable Cascade herunterladen…, oder öffnen Sie einen Ordner, der sie enthält.</translation>
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
        <source>The model could not be loaded</source>
        <translation>Das Modell konnte nicht geladen werden</translation>
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
        <translation><numerusform>Eingereiht: %n Auftrag wartet</numerusform><numerusform>Eingereiht: %n Aufträge warten</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Finished %n image(s) in %1 s</source>
        <translation><numerusform>%n Bild in %1 s fertig</numerusform><numerusform>%n Bilder in %1 s fertig</numerusform></translation>
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
        <source>Aspect-ratio presets at sizes Stable Cascade handles well (multiples of 128 px, about one megapixel).</source>
        <translation>Seitenverhältnis-Vorgaben in Größen, die Stable Cascade gut verarbeitet (Vielfache von 128 px, etwa ein Megapixel).</translation>
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
        <source>Sampler for both stages. DDPM is what the official code uses.</source>
        <translation>Sampler für beide Stufen. DDPM verwendet auch der offizielle Code.</translation>
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
        <source>Where the models run. Changing it reloads the model before the next job.</source>
        <translation>Wo die Modelle laufen. Eine Änderung lädt das Modell vor dem nächsten Auftrag neu.</translation>
    </message>
    <message>
        <source>Automatic (bf16 on GPU, fp32 on CPU)</source>
        <translation>Automatisch (bf16 auf GPU, fp32 auf CPU)</translation>
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
        <source>Automatic (GPU if available)</source>
        <translation>Automatisch (GPU, falls vorhanden)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation>CUDA-GPU %1</translation>
    </message>
    <message>
        <source>Where the models run.</source>
        <translation>Wo die Modelle laufen.</translation>
    </message>
    <message>
        <source>Automatic (bf16 on GPU, fp32 on CPU)</source>
        <translation>Automatisch (bf16 auf GPU, fp32 auf CPU)</translation>
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
</context>
<context>
    <name>kaskade::ui::QueuePanel</name>
    <message>
        <source>(empty prompt)</source>
        <translation>(leerer Prompt)</translation>
    </message>
    <message>
        <source>%1 — %2×%3, %4 image(s)</source>
        <translation>%1 — %2×%3, %4 Bild(er)</translation>
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
        <translation><numerusform>Warteschlange: %n Auftrag wartet</numerusform><numerusform>Warteschlange: %n Aufträge warten</numerusform></translation>
    </message>
</context>
</TS>