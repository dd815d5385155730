<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>ErrorText</name>
    <message>
        <source>A parameter is out of range.</source>
        <translation>Un paramètre est hors de la plage autorisée.</translation>
    </message>
    <message>
        <source>A file the model needs was not found.</source>
        <translation>Un fichier nécessaire au modèle est introuvable.</translation>
    </message>
    <message>
        <source>A file could not be read or written (is the disk full?).</source>
        <translation>Un fichier n’a pas pu être lu ou écrit (le disque est-il plein ?).</translation>
    </message>
    <message>
        <source>A file is not in the expected format or is damaged.</source>
        <translation>Un fichier n’est pas au format attendu ou est endommagé.</translation>
    </message>
    <message>
        <source>The checkpoint does not match the model it was loaded as.</source>
        <translation>Le checkpoint ne correspond pas au modèle pour lequel il a été chargé.</translation>
    </message>
    <message>
        <source>This is not supported yet.</source>
        <translation>Ceci n’est pas encore pris en charge.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>An internal error occurred. Please report it with the details below.</source>
        <translation>Une erreur interne s’est produite. Merci de la signaler avec les détails ci-dessous.</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>Une erreur inconnue s’est produite.</translation>
    </message>
    <message>
        <source>The device reported an error (see the details).</source>
        <translation>Le périphérique a signalé une erreur (voir les détails).</translation>
    </message>
    <message>
        <source>This build of Kaskade or this machine has no CUDA GPU. Choose CPU or Automatic as the device.</source>
        <translation>Cette version de Kaskade ou cette machine n’a pas de GPU CUDA. Choisissez CPU ou Automatique comme périphérique.</translation>
    </message>
    <message>
        <source>The device ran out of memory. Try a smaller size, fewer images per job, bf16, or the CPU.</source>
        <translation>Le périphérique manque de mémoire. Essayez une taille plus petite, moins d’images par tâche, bf16 ou le CPU.</translation>
    </message>
    <message>
        <source>Stage C overflows in fp16 (black images). Choose bf16 or fp32 as the precision.</source>
        <translation>Stage C déborde en fp16 (images noires). Choisissez bf16 ou fp32 comme précision.</translation>
    </message>
</context>
<context>
    <name>kaskade::Choices</name>
    <message>
        <source>DDPM (official)</source>
        <translation>DDPM (officiel)</translation>
    </message>
    <message>
        <source>DDIM (deterministic)</source>
        <translation>DDIM (déterministe)</translation>
    </message>
    <message>
        <source>LCM</source>
        <translation>LCM</translation>
    </message>
    <message>
        <source>DPM++ 2M (deterministic)</source>
        <translation>DPM++ 2M (déterministe)</translation>
    </message>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automatique (GPU si disponible)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>GPU CUDA</translation>
    </message>
    <message>
        <source>Automatic (bf16 on CUDA and on CPUs with native bf16, else fp32)</source>
        <translation>Automatique (bf16 avec CUDA et sur les CPU avec bf16 natif, sinon fp32)</translation>
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
        <translation>Automatique (selon la mémoire libre)</translation>
    </message>
    <message>
        <source>Keep every stage loaded</source>
        <translation>Garder toutes les étapes chargées</translation>
    </message>
    <message>
        <source>One stage at a time</source>
        <translation>Une étape à la fois</translation>
    </message>
    <message>
        <source>Canny edges</source>
        <translation>Contours Canny</translation>
    </message>
    <message>
        <source>Inpainting / outpainting</source>
        <translation>Inpainting / outpainting</translation>
    </message>
    <message>
        <source>Super-resolution ×2</source>
        <translation>Super-résolution ×2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::DownloadDialog</name>
    <message>
        <source>Download Stable Cascade</source>
        <translation>Télécharger Stable Cascade</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Folder for the model files</source>
        <translation>Dossier des fichiers du modèle</translation>
    </message>
    <message>
        <source>A mirror of the Hugging Face hub with the same URL layout; empty for the hub.</source>
        <translation>Un miroir du hub Hugging Face avec la même structure d’URL ; vide pour le hub.</translation>
    </message>
    <message>
        <source>only for gated repositories</source>
        <translation>uniquement pour les dépôts à accès restreint</translation>
    </message>
    <message>
        <source>Remember</source>
        <translation>Mémoriser</translation>
    </message>
    <message>
        <source>&amp;Weights:</source>
        <translation>&amp;Poids :</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Dossier :</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>Point d’&amp;accès :</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>&amp;Jeton d’accès :</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Télécharger</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Stops the download; the partial files are kept and the next download continues them.</source>
        <translation>Arrête le téléchargement ; les fichiers partiels sont conservés et le prochain téléchargement les reprend.</translation>
    </message>
    <message>
        <source>Choose a folder for the model files.</source>
        <translation>Choisissez un dossier pour les fichiers du modèle.</translation>
    </message>
    <message>
        <source>The endpoint must be an http:// or https:// address.</source>
        <translation>Le point d’accès doit être une adresse http:// ou https://.</translation>
    </message>
    <message>
        <source>Asking %1 for the file list…</source>
        <translation>Demande de la liste des fichiers à %1…</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>partiel</translation>
    </message>
    <message>
        <source>Total %1, already here %2, to download %3. Free space in this folder: %4.</source>
        <translation>Total %1, déjà présent %2, à télécharger %3. Espace libre dans ce dossier : %4.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not enough free space.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Espace libre insuffisant.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>vérifié</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>téléchargement</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source> · %1/s · %2 left</source>
        <translation> · %1/s · reste %2</translation>
    </message>
    <message>
        <source>All files are downloaded and verified in %1.</source>
        <translation>Tous les fichiers sont téléchargés et vérifiés dans %1.</translation>
    </message>
    <message>
        <source>Stopped. The partial files are kept: downloading the same weights into this folder continues them.</source>
        <translation>Arrêté. Les fichiers partiels sont conservés : télécharger les mêmes poids dans ce dossier les reprend.</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <source>Also the image-input files (effnet encoder, ControlNets, CLIP image encoder)</source>
        <translation>Aussi les fichiers des entrées image (encodeur effnet, ControlNets, encodeur d’image CLIP)</translation>
    </message>
    <message>
        <source>effnet_encoder.safetensors (image to image, inpainting, upscaling), controlnet/canny, inpainting, super_resolution (for Stage C 3.6B) and, for variations, image_encoder/ (CLIP ViT-L/14, about 1.2 GB) from %1.</source>
        <translation>effnet_encoder.safetensors (image vers image, inpainting, agrandissement), controlnet/canny, inpainting, super_resolution (pour Stage C 3.6B) et, pour les variations, image_encoder/ (CLIP ViT-L/14, environ 1,2 Go) depuis %1.</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1, depuis %2</translation>
    </message>
    <message>
        <source>image_encoder/ comes from %1.</source>
        <translation>image_encoder/ vient de %1.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::GalleryPanel</name>
    <message>
        <source>Finished images, newest first. Right-click for actions; drop a PNG on the window to restore its parameters.</source>
        <translation>Images terminées, les plus récentes en premier. Clic droit pour les actions ; déposez un PNG sur la fenêtre pour restaurer ses paramètres.</translation>
    </message>
    <message>
        <source>Select an image to see its parameters.</source>
        <translation>Sélectionnez une image pour voir ses paramètres.</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3</source>
        <translation>%1 × %2 px, %3</translation>
    </message>
    <message>
        <source>No generation parameters in this file.</source>
        <translation>Ce fichier ne contient aucun paramètre de génération.</translation>
    </message>
    <message>
        <source>Search prompts…</source>
        <translation>Rechercher dans les prompts…</translation>
    </message>
    <message>
        <source>Show only images whose prompt contains this text</source>
        <translation>N’afficher que les images dont le prompt contient ce texte</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Plus récentes d’abord</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Plus anciennes d’abord</translation>
    </message>
    <message>
        <source>Sort by date</source>
        <translation>Trier par date</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>Grille</translation>
    </message>
    <message>
        <source>Thumbnails in a grid</source>
        <translation>Miniatures en grille</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>A list with names</source>
        <translation>Une liste avec les noms</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ImageInputPanel</name>
    <message>
        <source>&amp;Open picture…</source>
        <translation>&amp;Ouvrir une image…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>ControlNet:</source>
        <translation>ControlNet :</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>Intensité :</translation>
    </message>
    <message>
        <source>Control strength:</source>
        <translation>Intensité du contrôle :</translation>
    </message>
    <message>
        <source>Paint &amp;mask / extend…</source>
        <translation>Peindre le &amp;masque / étendre…</translation>
    </message>
    <message>
        <source>Choose a picture (PNG, JPEG, WebP, …); you can also drop one here</source>
        <translation>Choisir une image (PNG, JPEG, WebP, …) ; vous pouvez aussi en déposer une ici</translation>
    </message>
    <message>
        <source>Back to text to image</source>
        <translation>Revenir au texte vers image</translation>
    </message>
    <message>
        <source>Image to image</source>
        <translation>Image vers image</translation>
    </message>
    <message>
        <source>Start from the picture, noised to the strength: low keeps it, high changes more</source>
        <translation>Partir de l’image, bruitée selon l’intensité : faible la conserve, forte la change davantage</translation>
    </message>
    <message>
        <source>Variations (image prompt)</source>
        <translation>Variations (prompt image)</translation>
    </message>
    <message>
        <source>The picture&apos;s CLIP embedding guides Stage C; a prompt is optional</source>
        <translation>L’embedding CLIP de l’image guide Stage C ; un prompt est facultatif</translation>
    </message>
    <message>
        <source>ControlNet</source>
        <translation>ControlNet</translation>
    </message>
    <message>
        <source>Canny edges, inpainting/outpainting or ×2 super-resolution (needs Stage C 3.6B)</source>
        <translation>Contours Canny, inpainting/outpainting ou super-résolution ×2 (nécessite Stage C 3.6B)</translation>
    </message>
    <message>
        <source>Reconstruct (Stage B/A only)</source>
        <translation>Reconstruire (Stage B/A seulement)</translation>
    </message>
    <message>
        <source>What the Stage B/A compression keeps of the picture; no Stage C, no prompt</source>
        <translation>Ce que la compression Stage B/A garde de l’image ; pas de Stage C, pas de prompt</translation>
    </message>
    <message>
        <source>Canny edges</source>
        <translation>Contours Canny</translation>
    </message>
    <message>
        <source>Noise level of the picture: Stage C runs this share of its steps (1 = ignore the picture)</source>
        <translation>Niveau de bruit de l’image : Stage C exécute cette part de ses étapes (1 = ignorer l’image)</translation>
    </message>
    <message>
        <source>Multiplies the ControlNet&apos;s features (1 = as trained)</source>
        <translation>Multiplie les caractéristiques du ControlNet (1 = tel qu’entraîné)</translation>
    </message>
    <message>
        <source>Paint the area to repaint, or add canvas on the sides (outpainting)</source>
        <translation>Peindre la zone à repeindre, ou ajouter de la toile sur les côtés (outpainting)</translation>
    </message>
    <message>
        <source>Use it for:</source>
        <translation>Utiliser pour :</translation>
    </message>
    <message>
        <source>Use as &amp;init image</source>
        <translation>Utiliser comme image de &amp;départ</translation>
    </message>
    <message>
        <source>Image to image from the selected picture (Image tab)</source>
        <translation>Image vers image à partir de l’image sélectionnée (onglet Image)</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>&amp;Variations</translation>
    </message>
    <message>
        <source>New pictures like the selected one (image prompt)</source>
        <translation>Nouvelles images semblables à celle sélectionnée (prompt image)</translation>
    </message>
    <message>
        <source>&amp;Upscale ×2</source>
        <translation>&amp;Agrandir ×2</translation>
    </message>
    <message>
        <source>Super-resolution ControlNet on the selected picture</source>
        <translation>ControlNet de super-résolution sur l’image sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Edit (inpaint)…</source>
        <translation>&amp;Modifier (inpainting)…</translation>
    </message>
    <message>
        <source>Paint over part of the selected picture and repaint it</source>
        <translation>Peindre sur une partie de l’image sélectionnée et la faire repeindre</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>image</translation>
    </message>
    <message>
        <source>Cannot use this picture</source>
        <translation>Impossible d’utiliser cette image</translation>
    </message>
    <message>
        <source>Inpainting needs a mask: paint the area to repaint or extend the canvas (Paint mask / extend…).</source>
        <translation>L’inpainting nécessite un masque : peignez la zone à repeindre ou étendez la toile (Peindre le masque / étendre…).</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Image · %1</source>
        <translation>Image · %1</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Télécharger…</translation>
    </message>
    <message>
        <source>Open a picture</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <source>Pictures (%1)</source>
        <translation>Images (%1)</translation>
    </message>
    <message>
        <source>Drop a picture here
or open one</source>
        <translation>Déposez une image ici
ou ouvrez-en une</translation>
    </message>
    <message>
        <source>No picture: the next job is text to image. Pictures can also come from the gallery (right-click an image).</source>
        <translation>Pas d’image : la prochaine tâche est du texte vers image. Les images peuvent aussi venir de la galerie (clic droit sur une image).</translation>
    </message>
    <message>
        <source>%1 × %2 · %3</source>
        <translation>%1 × %2 · %3</translation>
    </message>
    <message>
        <source>Needs effnet_encoder.safetensors.</source>
        <translation>Nécessite effnet_encoder.safetensors.</translation>
    </message>
    <message>
        <source>Needs the image encoder (image_encoder/).</source>
        <translation>Nécessite l’encodeur d’image (image_encoder/).</translation>
    </message>
    <message>
        <source>Needs effnet_encoder.safetensors. The size comes from the picture.</source>
        <translation>Nécessite effnet_encoder.safetensors. La taille vient de l’image.</translation>
    </message>
    <message>
        <source>Needs controlnet/%1 and Stage C 3.6B.</source>
        <translation>Nécessite controlnet/%1 et Stage C 3.6B.</translation>
    </message>
    <message>
        <source>Also effnet_encoder.safetensors.</source>
        <translation>Ainsi que effnet_encoder.safetensors.</translation>
    </message>
    <message>
        <source>The output is about 2.67× the picture.</source>
        <translation>Le résultat fait environ 2,67× l’image.</translation>
    </message>
    <message>
        <source>Canvas extended by %1, %2, %3, %4 px (left, top, right, bottom).</source>
        <translation>Toile étendue de %1, %2, %3, %4 px (gauche, haut, droite, bas).</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcul…</translation>
    </message>
    <message>
        <source>Area to repaint</source>
        <translation>Zone à repeindre</translation>
    </message>
    <message>
        <source>Upscaled ×2 (about 2.67× output)</source>
        <translation>Agrandie ×2 (résultat environ 2,67×)</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ImageViewer</name>
    <message>
        <source>Image viewer</source>
        <translation>Visionneuse</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Précédente</translation>
    </message>
    <message>
        <source>Previous image (Left)</source>
        <translation>Image précédente (Gauche)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivante</translation>
    </message>
    <message>
        <source>Next image (Right)</source>
        <translation>Image suivante (Droite)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Fit the window (F)</source>
        <translation>Ajuster à la fenêtre (F)</translation>
    </message>
    <message>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <source>One image pixel per screen pixel (1)</source>
        <translation>Un pixel d’image par pixel d’écran (1)</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Côte à côte</translation>
    </message>
    <message>
        <source>Swipe</source>
        <translation>Balayage</translation>
    </message>
    <message>
        <source>How two selected images are compared</source>
        <translation>Comment deux images sélectionnées sont comparées</translation>
    </message>
    <message>
        <source>Reuse parameters</source>
        <translation>Réutiliser les paramètres</translation>
    </message>
    <message>
        <source>Left: %1
Right: %2</source>
        <translation>Gauche : %1
Droite : %2</translation>
    </message>
    <message>
        <source>Compare images</source>
        <translation>Comparer des images</translation>
    </message>
    <message>
        <source>Image %1 of %2</source>
        <translation>Image %1 sur %2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::LoraPanel</name>
    <message>
        <source>No LoRA loaded. Add one here, pick one in Model ▸ Checkpoints in the model folder, or write &lt;lora:name:0.8&gt; in the prompt.</source>
        <translation>Aucun LoRA chargé. Ajoutez-en un ici, choisissez-en un dans Modèle ▸ Checkpoints du dossier du modèle, ou écrivez &lt;lora:name:0.8&gt; dans le prompt.</translation>
    </message>
    <message>
        <source>Add LoRA…</source>
        <translation>Ajouter un LoRA…</translation>
    </message>
    <message>
        <source>Merge a Stage C LoRA (official, OneTrainer or kohya format)</source>
        <translation>Fusionner un LoRA Stage C (format officiel, OneTrainer ou kohya)</translation>
    </message>
    <message>
        <source>Remove all</source>
        <translation>Tout retirer</translation>
    </message>
    <message>
        <source>Take every LoRA off again: the base weights are restored exactly</source>
        <translation>Retirer tous les LoRA : les poids de base sont restaurés exactement</translation>
    </message>
    <message>
        <source>%1
Untick to take this LoRA off without forgetting it.</source>
        <translation>%1
Décochez pour désactiver ce LoRA sans l’oublier.</translation>
    </message>
    <message>
        <source>Strength: 1 = as trained, 0 = off, negative = the opposite</source>
        <translation>Force : 1 = comme entraîné, 0 = désactivé, négatif = l’inverse</translation>
    </message>
    <message>
        <source>Remove this LoRA</source>
        <translation>Retirer ce LoRA</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::MainWindow</name>
    <message>
        <source>Checkpoints in the model &amp;folder</source>
        <translation>Checkpoints du &amp;dossier du modèle</translation>
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
        <translation>(aucun checkpoint Stage B/C ni LoRA trouvé)</translation>
    </message>
    <message>
        <source>Merge a Stage C LoRA (official, OneTrainer or kohya format) with a strength from -2 to 2</source>
        <translation>Fusionner un LoRA de Stage C (format officiel, OneTrainer ou kohya) avec une intensité de -2 à 2</translation>
    </message>
    <message>
        <source>&amp;Remove LoRAs</source>
        <translation>&amp;Retirer les LoRA</translation>
    </message>
    <message>
        <source>Take every LoRA off again: the base weights are restored exactly</source>
        <translation>Retirer tous les LoRA : les poids de base sont restaurés à l’identique</translation>
    </message>
    <message>
        <source>Load a Stage C LoRA</source>
        <translation>Charger un LoRA de Stage C</translation>
    </message>
    <message>
        <source>LoRA files (*.safetensors)</source>
        <translation>Fichiers LoRA (*.safetensors)</translation>
    </message>
    <message>
        <source>LoRA strength</source>
        <translation>Intensité du LoRA</translation>
    </message>
    <message>
        <source>Strength of %1 (-2 to 2; 1 = as trained):</source>
        <translation>Intensité de %1 (-2 à 2 ; 1 = comme entraîné) :</translation>
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
        <translation>&amp;Générer</translation>
    </message>
    <message>
        <source>Generate an image from the prompt; while a job runs, queue another</source>
        <translation>Générer une image à partir du prompt ; pendant une tâche, en ajouter une autre à la file</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Stop the running job after the current step</source>
        <translation>Arrêter la tâche en cours après l’étape actuelle</translation>
    </message>
    <message>
        <source>New random &amp;seed</source>
        <translation>Nouvelle &amp;graine aléatoire</translation>
    </message>
    <message>
        <source>Draw a new random seed</source>
        <translation>Tirer une nouvelle graine aléatoire</translation>
    </message>
    <message>
        <source>&amp;Reset parameters to defaults</source>
        <translation>&amp;Réinitialiser les paramètres</translation>
    </message>
    <message>
        <source>Official defaults for size, steps, CFG, shift and sampler</source>
        <translation>Valeurs officielles par défaut pour la taille, les étapes, le CFG, le décalage et l’échantillonneur</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>&amp;Ouvrir un dossier de modèle…</translation>
    </message>
    <message>
        <source>Load Stable Cascade weights from a folder (official, diffusers or ComfyUI layout)</source>
        <translation>Charger les poids de Stable Cascade depuis un dossier (organisation officielle, diffusers ou ComfyUI)</translation>
    </message>
    <message>
        <source>&amp;Download Stable Cascade…</source>
        <translation>&amp;Télécharger Stable Cascade…</translation>
    </message>
    <message>
        <source>Download the official weights from Hugging Face (resumable)</source>
        <translation>Télécharger les poids officiels depuis Hugging Face (reprise possible)</translation>
    </message>
    <message>
        <source>Load Stage &amp;C checkpoint…</source>
        <translation>Charger un checkpoint Stage &amp;C…</translation>
    </message>
    <message>
        <source>Replace Stage C with a fine-tuned .safetensors file</source>
        <translation>Remplacer Stage C par un fichier .safetensors affiné</translation>
    </message>
    <message>
        <source>Load Stage &amp;B checkpoint…</source>
        <translation>Charger un checkpoint Stage &amp;B…</translation>
    </message>
    <message>
        <source>Replace Stage B with a fine-tuned .safetensors file</source>
        <translation>Remplacer Stage B par un fichier .safetensors affiné</translation>
    </message>
    <message>
        <source>Load &amp;LoRA…</source>
        <translation>Charger une &amp;LoRA…</translation>
    </message>
    <message>
        <source>Use &amp;demo model</source>
        <translation>Utiliser le modèle de &amp;démonstration</translation>
    </message>
    <message>
        <source>Random weights that draw noise: for trying the app without the real weights</source>
        <translation>Des poids aléatoires qui dessinent du bruit : pour essayer l’application sans les vrais poids</translation>
    </message>
    <message>
        <source>&amp;Save image as…</source>
        <translation>&amp;Enregistrer l’image sous…</translation>
    </message>
    <message>
        <source>&amp;Copy image</source>
        <translation>&amp;Copier l’image</translation>
    </message>
    <message>
        <source>Copy the selected image to the clipboard</source>
        <translation>Copier l’image sélectionnée dans le presse-papiers</translation>
    </message>
    <message>
        <source>Copy &amp;parameters</source>
        <translation>Copier les &amp;paramètres</translation>
    </message>
    <message>
        <source>Copy the selected image&apos;s parameters as text (A1111 format)</source>
        <translation>Copier les paramètres de l’image sélectionnée en texte (format A1111)</translation>
    </message>
    <message>
        <source>&amp;Reuse parameters</source>
        <translation>&amp;Réutiliser les paramètres</translation>
    </message>
    <message>
        <source>Fill the prompt and every parameter from the selected image</source>
        <translation>Remplir le prompt et tous les paramètres à partir de l’image sélectionnée</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Open output &amp;folder</source>
        <translation>Ouvrir le &amp;dossier de sortie</translation>
    </message>
    <message>
        <source>Show the folder the images are saved in</source>
        <translation>Afficher le dossier où les images sont enregistrées</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Quit Kaskade</source>
        <translation>Quitter Kaskade</translation>
    </message>
    <message>
        <source>&amp;About Kaskade</source>
        <translation>&amp;À propos de Kaskade</translation>
    </message>
    <message>
        <source>Versions and licences</source>
        <translation>Versions et licences</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>Qt version and licence</source>
        <translation>Version et licence de Qt</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>&amp;Image</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modèle</translation>
    </message>
    <message>
        <source>&amp;Recent models</source>
        <translation>Modèles &amp;récents</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Générer</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo model: it draws noise.&lt;/b&gt; No Stable Cascade weights were found, so Kaskade loaded a model with random weights to show how everything works. To make real images, download the weights from Hugging Face (&lt;a href=&quot;https://huggingface.co/stabilityai/stable-cascade&quot;&gt;stabilityai/stable-cascade&lt;/a&gt;; non-commercial licence) with Model ▸ Download Stable Cascade…, or open a folder that has them.</source>
        <translation>&lt;b&gt;Modèle de démonstration : il dessine du bruit.&lt;/b&gt; Aucun poids Stable Cascade n’a été trouvé ; Kaskade a donc chargé un modèle aux poids aléatoires pour montrer le fonctionnement. Pour de vraies images, téléchargez les poids depuis Hugging Face (&lt;a href=&quot;https://huggingface.co/stabilityai/stable-cascade&quot;&gt;stabilityai/stable-cascade&lt;/a&gt; ; licence non commerciale) avec Modèle ▸ Télécharger Stable Cascade…, ou ouvrez un dossier qui les contient.</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>Ouvrir un dossier de modèle…</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Télécharger…</translation>
    </message>
    <message>
        <source>Type a prompt and press Ctrl+Return.
The image forms here step by step.</source>
        <translation>Saisissez un prompt et appuyez sur Ctrl+Entrée.
L’image se forme ici étape par étape.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>La génération a échoué</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <source>Demo model loaded (it draws noise)</source>
        <translation>Modèle de démonstration chargé (il dessine du bruit)</translation>
    </message>
    <message>
        <source>Model loaded</source>
        <translation>Modèle chargé</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>&amp;Mettre en file</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <source>Demo model (draws noise)</source>
        <translation>Modèle de démonstration (dessine du bruit)</translation>
    </message>
    <message>
        <source> · %1 in memory</source>
        <translation> · %1 en mémoire</translation>
    </message>
    <message>
        <source>The job waits until a model is loaded (Model ▸ Open model folder…).</source>
        <translation>La tâche attend qu’un modèle soit chargé (Modèle ▸ Ouvrir un dossier de modèle…).</translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n job(s) waiting</source>
        <translation>
            <numerusform>En file : %n tâche en attente</numerusform>
            <numerusform>En file : %n tâches en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished %n image(s) in %1 s</source>
        <translation>
            <numerusform>%n image terminée en %1 s</numerusform>
            <numerusform>%n images terminées en %1 s</numerusform>
        </translation>
    </message>
    <message>
        <source>The image could not be saved</source>
        <translation>L’image n’a pas pu être enregistrée</translation>
    </message>
    <message>
        <source>Save image as</source>
        <translation>Enregistrer l’image sous</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>This image carries no parameters.</source>
        <translation>Cette image ne contient aucun paramètre.</translation>
    </message>
    <message>
        <source>Parameters restored (seed %1 locked)</source>
        <translation>Paramètres restaurés (graine %1 verrouillée)</translation>
    </message>
    <message>
        <source>The image could not be deleted</source>
        <translation>L’image n’a pas pu être supprimée</translation>
    </message>
    <message>
        <source>%1 carries no generation parameters.</source>
        <translation>%1 ne contient aucun paramètre de génération.</translation>
    </message>
    <message>
        <source>Parameters restored from %1 (%2 metadata)</source>
        <translation>Paramètres restaurés depuis %1 (métadonnées %2)</translation>
    </message>
    <message>
        <source>The parameters could not be read</source>
        <translation>Les paramètres n’ont pas pu être lus</translation>
    </message>
    <message>
        <source>Open a Stable Cascade model folder (official, diffusers or ComfyUI layout)</source>
        <translation>Ouvrir un dossier de modèle Stable Cascade (organisation officielle, diffusers ou ComfyUI)</translation>
    </message>
    <message>
        <source>Load a Stage C checkpoint</source>
        <translation>Charger un checkpoint Stage C</translation>
    </message>
    <message>
        <source>Load a Stage B checkpoint</source>
        <translation>Charger un checkpoint Stage B</translation>
    </message>
    <message>
        <source>Safetensors checkpoints (*.safetensors)</source>
        <translation>Checkpoints safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(aucun pour l’instant)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The new language is used the next time Kaskade starts.</source>
        <translation>La nouvelle langue sera utilisée au prochain démarrage de Kaskade.</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>non disponible</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kaskade %1&lt;/h3&gt;&lt;p&gt;A desktop app for Stable Cascade text-to-image generation.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;%3&lt;br&gt;CUDA: %4&lt;/p&gt;&lt;p&gt;&lt;b&gt;Model weights:&lt;/b&gt; Stable Cascade is released by Stability AI under the &lt;i&gt;Stability AI Non-Commercial Research Community License&lt;/i&gt;. The weights are not part of Kaskade; images you make with them may only be used as that licence allows.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Kaskade %1&lt;/h3&gt;&lt;p&gt;Une application de bureau pour la génération d’images à partir de texte avec Stable Cascade.&lt;/p&gt;&lt;p&gt;Qt %2&lt;br&gt;%3&lt;br&gt;CUDA : %4&lt;/p&gt;&lt;p&gt;&lt;b&gt;Poids du modèle :&lt;/b&gt; Stable Cascade est publié par Stability AI sous la &lt;i&gt;Stability AI Non-Commercial Research Community License&lt;/i&gt;. Les poids ne font pas partie de Kaskade ; les images créées avec eux ne peuvent être utilisées que dans les limites de cette licence.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Kaskade</source>
        <translation>À propos de Kaskade</translation>
    </message>
    <message>
        <source>Open &amp;image…</source>
        <translation>Ouvrir une &amp;image…</translation>
    </message>
    <message>
        <source>Restore the prompt and parameters stored in an image (Kaskade, A1111 or ComfyUI)</source>
        <translation>Restaurer le prompt et les paramètres enregistrés dans une image (Kaskade, A1111 ou ComfyUI)</translation>
    </message>
    <message>
        <source>Save the selected image as PNG, JPEG or WebP with its parameters</source>
        <translation>Enregistrer l’image sélectionnée en PNG, JPEG ou WebP avec ses paramètres</translation>
    </message>
    <message>
        <source>&amp;View full size</source>
        <translation>&amp;Voir en taille réelle</translation>
    </message>
    <message>
        <source>Open the selected image in the viewer: zoom, pan, previous and next</source>
        <translation>Ouvrir l’image sélectionnée dans la visionneuse : zoom, déplacement, précédente et suivante</translation>
    </message>
    <message>
        <source>C&amp;ompare two images</source>
        <translation>C&amp;omparer deux images</translation>
    </message>
    <message>
        <source>Show the two selected images side by side or with a swipe divider</source>
        <translation>Afficher les deux images sélectionnées côte à côte ou avec un séparateur à balayer</translation>
    </message>
    <message>
        <source>Move the selected images to the trash (Edit ▸ Undo brings them back)</source>
        <translation>Mettre les images sélectionnées à la corbeille (Édition ▸ Annuler les ramène)</translation>
    </message>
    <message>
        <source>&amp;Undo delete</source>
        <translation>&amp;Annuler la suppression</translation>
    </message>
    <message>
        <source>Bring the images deleted last back from the trash</source>
        <translation>Récupérer de la corbeille les dernières images supprimées</translation>
    </message>
    <message>
        <source>Output folder, model folder, device, language, theme</source>
        <translation>Dossier de sortie, dossier du modèle, périphérique, langue, thème</translation>
    </message>
    <message>
        <source>&amp;Train LoRA…</source>
        <translation>&amp;Entraîner un LoRA…</translation>
    </message>
    <message>
        <source>Fine-tune Stage C on a folder of pictures (the official LoRA recipe)</source>
        <translation>Affiner Stage C sur un dossier d’images (la recette LoRA officielle)</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>LoRAs</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>LoRAs (%1)</source>
        <translation>LoRA (%1)</translation>
    </message>
    <message>
        <source>Loading the previous model again…</source>
        <translation>Rechargement du modèle précédent…</translation>
    </message>
    <message>
        <source>The previous model stays loaded.</source>
        <translation>Le modèle précédent reste chargé.</translation>
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
            <numerusform>%n LoRA</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot start the job</source>
        <translation>Impossible de lancer la tâche</translation>
    </message>
    <message>
        <source>JPEG images (*.jpg *.jpeg)</source>
        <translation>Images JPEG (*.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>WebP images (*.webp)</source>
        <translation>Images WebP (*.webp)</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings them back.</source>
        <translation>
            <numerusform>%n image mise à la corbeille. Image ▸ Annuler la suppression (Ctrl+Z) la ramène.</numerusform>
            <numerusform>%n images mises à la corbeille. Image ▸ Annuler la suppression (Ctrl+Z) les ramène.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) deleted.</source>
        <translation>
            <numerusform>%n image supprimée.</numerusform>
            <numerusform>%n images supprimées.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) restored.</source>
        <translation>
            <numerusform>%n image restaurée.</numerusform>
            <numerusform>%n images restaurées.</numerusform>
        </translation>
    </message>
    <message>
        <source>The image could not be restored from the trash</source>
        <translation>L’image n’a pas pu être récupérée de la corbeille</translation>
    </message>
    <message>
        <source>Select two images to compare (Ctrl+click).</source>
        <translation>Sélectionnez deux images à comparer (Ctrl+clic).</translation>
    </message>
    <message>
        <source>Input pictures not found: %1</source>
        <translation>Images d’entrée introuvables : %1</translation>
    </message>
    <message>
        <source>Parameters restored from %1, but its sampler &quot;%2&quot; is not available in Kaskade: the sampler is set to DDPM (official), so the image will differ.</source>
        <translation>Paramètres restaurés depuis %1, mais son échantillonneur « %2 » n’est pas disponible dans Kaskade : l’échantillonneur est réglé sur DDPM (officiel), l’image sera donc différente.</translation>
    </message>
    <message>
        <source>Sampler not available</source>
        <translation>Échantillonneur non disponible</translation>
    </message>
    <message>
        <source>Open an image to restore its parameters</source>
        <translation>Ouvrir une image pour restaurer ses paramètres</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.webp);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>LoRA not found</source>
        <translation>LoRA introuvable</translation>
    </message>
    <message>
        <source>The prompt names %1, but no LoRA file of that name is in the model folder %2. Put the .safetensors file there (or in its loras folder), or remove the tag.</source>
        <translation>Le prompt cite %1, mais aucun fichier LoRA de ce nom ne se trouve dans le dossier du modèle %2. Placez-y le fichier .safetensors (ou dans son dossier loras), ou retirez la balise.</translation>
    </message>
    <message>
        <source>(looking through the model folder…)</source>
        <translation>(examen du dossier du modèle…)</translation>
    </message>
    <message>
        <source>Settings this version does not know use their defaults: %1</source>
        <translation>Les réglages que cette version ne connaît pas prennent leur valeur par défaut : %1</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::MaskPainter</name>
    <message>
        <source>Inpainting mask</source>
        <translation>Masque d’inpainting</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Brush diameter in pixels of the picture ([ and ] change it)</source>
        <translation>Diamètre du pinceau en pixels de l’image ([ et ] le changent)</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>&amp;Gomme</translation>
    </message>
    <message>
        <source>Paint with the eraser: the picture is kept there (E)</source>
        <translation>Peindre avec la gomme : l’image y est conservée (E)</translation>
    </message>
    <message>
        <source>&amp;Invert</source>
        <translation>&amp;Inverser</translation>
    </message>
    <message>
        <source>Repaint everything except what is painted now (I)</source>
        <translation>Tout repeindre sauf ce qui est peint maintenant (I)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <source>Remove the whole mask</source>
        <translation>Supprimer tout le masque</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>Take back the last stroke, invert or clear (Ctrl+Z)</source>
        <translation>Annuler le dernier trait, l’inversion ou l’effacement (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>Pinceau :</translation>
    </message>
    <message>
        <source>Extend the canvas (outpainting)</source>
        <translation>Étendre la toile (outpainting)</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Gauche</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Haut</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Droite</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>Bas</translation>
    </message>
    <message>
        <source>Paint over what should be repainted (shown in red); the rest of the picture is kept. Extended canvas is always painted.</source>
        <translation>Peignez ce qui doit être repeint (en rouge) ; le reste de l’image est conservé. La toile étendue est toujours peinte.</translation>
    </message>
    <message>
        <source>New size: %1 × %2</source>
        <translation>Nouvelle taille : %1 × %2</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ModelController</name>
    <message>
        <source>the demo model</source>
        <translation>le modèle de démonstration</translation>
    </message>
    <message>
        <source>The model in %1 could not be loaded</source>
        <translation>Le modèle dans %1 n’a pas pu être chargé</translation>
    </message>
    <message>
        <source>The Stage C checkpoint %1 could not be loaded</source>
        <translation>Le checkpoint Stage C %1 n’a pas pu être chargé</translation>
    </message>
    <message>
        <source>The Stage B checkpoint %1 could not be loaded</source>
        <translation>Le checkpoint Stage B %1 n’a pas pu être chargé</translation>
    </message>
    <message>
        <source>The LoRAs could not be applied</source>
        <translation>Les LoRA n’ont pas pu être appliqués</translation>
    </message>
    <message>
        <source>The LoRA %1 could not be applied</source>
        <translation>Le LoRA %1 n’a pas pu être appliqué</translation>
    </message>
    <message>
        <source>The model could not be moved to %1</source>
        <translation>Le modèle n’a pas pu être déplacé vers %1</translation>
    </message>
    <message>
        <source>The previous model could not be loaded again</source>
        <translation>Le modèle précédent n’a pas pu être rechargé</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>Le modèle n’a pas pu être chargé</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage C LoRA, or it was trained for another Stage C (lite or full). Check the file, or pick one in Model ▸ Checkpoints in the model folder.</source>
        <translation>Le fichier n’est pas un LoRA Stage C de Stable Cascade, ou il a été entraîné pour un autre Stage C (lite ou complet). Vérifiez le fichier ou choisissez-en un dans Modèle ▸ Checkpoints du dossier du modèle.</translation>
    </message>
    <message>
        <source>The LoRA file was not found. It may have been moved or deleted.</source>
        <translation>Le fichier LoRA est introuvable. Il a peut-être été déplacé ou supprimé.</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage C checkpoint (it may be a Stage B, a LoRA or a checkpoint of another model), or it is damaged.</source>
        <translation>Le fichier n’est pas un checkpoint Stage C de Stable Cascade (peut-être un Stage B, un LoRA ou le checkpoint d’un autre modèle), ou il est endommagé.</translation>
    </message>
    <message>
        <source>The file is not a Stable Cascade Stage B checkpoint (it may be a Stage C, a LoRA or a checkpoint of another model), or it is damaged.</source>
        <translation>Le fichier n’est pas un checkpoint Stage B de Stable Cascade (peut-être un Stage C, un LoRA ou le checkpoint d’un autre modèle), ou il est endommagé.</translation>
    </message>
    <message>
        <source>The folder does not hold a complete Stable Cascade model (Stage C, Stage B, Stage A, text encoder and tokenizer). Open a folder with the official files, a diffusers snapshot or a ComfyUI models folder; kaskade-cli inspect FOLDER lists what is missing.</source>
        <translation>Le dossier ne contient pas de modèle Stable Cascade complet (Stage C, Stage B, Stage A, encodeur de texte et tokenizer). Ouvrez un dossier avec les fichiers officiels, un instantané diffusers ou un dossier de modèles ComfyUI ; kaskade-cli inspect DOSSIER liste ce qui manque.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::ParameterPanel</name>
    <message>
        <source>Steps</source>
        <translation>Étapes</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>Échelle CFG</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>%1  (%2 × %3)</source>
        <translation>%1  (%2 × %3)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Image size in pixels; snapped to a multiple of 128 when you leave the field.</source>
        <translation>Taille de l’image en pixels ; arrondie à un multiple de 128 en quittant le champ.</translation>
    </message>
    <message>
        <source>Swap width and height</source>
        <translation>Inverser largeur et hauteur</translation>
    </message>
    <message>
        <source>Images per job, generated together (more memory, same seed sequence).</source>
        <translation>Images par tâche, générées ensemble (plus de mémoire, même suite de graines).</translation>
    </message>
    <message>
        <source>random</source>
        <translation>aléatoire</translation>
    </message>
    <message>
        <source>Start noise. The same seed and parameters give the same image. Unlocked, every job draws a new seed and shows it here.</source>
        <translation>Bruit de départ. La même graine et les mêmes paramètres donnent la même image. Non verrouillée, chaque tâche tire une nouvelle graine et l’affiche ici.</translation>
    </message>
    <message>
        <source>New random seed</source>
        <translation>Nouvelle graine aléatoire</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Verrouiller</translation>
    </message>
    <message>
        <source>Keep this seed for every job instead of drawing a new one.</source>
        <translation>Garder cette graine pour chaque tâche au lieu d’en tirer une nouvelle.</translation>
    </message>
    <message>
        <source>Aspect</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Width × height</source>
        <translation>Largeur × hauteur</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Stage C (composition)</source>
        <translation>Stage C (composition)</translation>
    </message>
    <message>
        <source>Stage B (detail)</source>
        <translation>Stage B (détails)</translation>
    </message>
    <message>
        <source>Stage C sampling steps: the 24×24 latent that fixes the composition (official: 20).</source>
        <translation>Étapes d’échantillonnage de Stage C : le latent 24×24 qui fixe la composition (officiel : 20).</translation>
    </message>
    <message>
        <source>How strongly Stage C follows the prompt (official: 4). 0 switches guidance off.</source>
        <translation>Force avec laquelle Stage C suit le prompt (officiel : 4). 0 désactive le guidage.</translation>
    </message>
    <message>
        <source>Noise schedule shift for Stage C (official: 2). Higher spends more steps on coarse structure.</source>
        <translation>Décalage du planning de bruit pour Stage C (officiel : 2). Plus élevé, il consacre plus d’étapes à la structure grossière.</translation>
    </message>
    <message>
        <source>Stage B sampling steps: turns the composition into detailed latents (official: 10).</source>
        <translation>Étapes d’échantillonnage de Stage B : transforme la composition en latents détaillés (officiel : 10).</translation>
    </message>
    <message>
        <source>How strongly Stage B follows the prompt (official: 1.1).</source>
        <translation>Force avec laquelle Stage B suit le prompt (officiel : 1,1).</translation>
    </message>
    <message>
        <source>Noise schedule shift for Stage B (official: 1).</source>
        <translation>Décalage du planning de bruit pour Stage B (officiel : 1).</translation>
    </message>
    <message>
        <source>Sampler and device</source>
        <translation>Échantillonneur et périphérique</translation>
    </message>
    <message>
        <source>Sampler for both stages. DDPM is what the official code uses.</source>
        <translation>Échantillonneur des deux étapes. DDPM est celui du code officiel.</translation>
    </message>
    <message>
        <source>Where the models run. Changing it reloads the model before the next job.</source>
        <translation>Où les modèles s’exécutent. Le changer recharge le modèle avant la prochaine tâche.</translation>
    </message>
    <message>
        <source>Number format of the weights. fp16 can produce black images with Stage C; bf16 is the safe choice on recent GPUs.</source>
        <translation>Format numérique des poids. fp16 peut produire des images noires avec Stage C ; bf16 est le choix sûr sur les GPU récents.</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>Valeurs par défaut</translation>
    </message>
    <message>
        <source>Official defaults: 1024 × 1024, Stage C 20 steps / CFG 4 / shift 2, Stage B 10 steps / CFG 1.1 / shift 1, DDPM.</source>
        <translation>Valeurs officielles : 1024 × 1024, Stage C 20 étapes / CFG 4 / décalage 2, Stage B 10 étapes / CFG 1,1 / décalage 1, DDPM.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Échantillonneur</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Périphérique</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <source>%1  (%2 × %3, fast)</source>
        <translation>%1  (%2 × %3, rapide)</translation>
    </message>
    <message>
        <source>Aspect-ratio presets at sizes Stable Cascade handles well (multiples of 128 px, about one megapixel; the &quot;fast&quot; ones have a quarter of the pixels, for trying prompts on the CPU).</source>
        <translation>Formats prédéfinis aux tailles que Stable Cascade gère bien (multiples de 128 px, environ un mégapixel ; les « rapides » ont un quart des pixels, pour essayer des prompts sur le CPU).</translation>
    </message>
    <message>
        <source>CFG rescale (rho): pulls the guided prediction&apos;s spread back towards the unguided one, against over-saturation at high CFG (official: 0.7; 0 = off).</source>
        <translation>CFG rescale (rho) : ramène la dispersion de la prédiction guidée vers celle non guidée, contre la sursaturation à CFG élevé (officiel : 0,7 ; 0 = désactivé).</translation>
    </message>
    <message>
        <source>Official (size ÷ 42.67)</source>
        <translation>Officiel (taille ÷ 42,67)</translation>
    </message>
    <message>
        <source>Stage C latent size, as ComfyUI&apos;s &quot;compression&quot;: the image size divided by this number. Lower values (about 32) give more detail and take longer; the official rule gives 24 × 24 at 1024².</source>
        <translation>Taille latente de Stage C, comme la « compression » de ComfyUI : la taille de l’image divisée par ce nombre. Des valeurs plus basses (environ 32) donnent plus de détails et prennent plus de temps ; la règle officielle donne 24 × 24 à 1024².</translation>
    </message>
    <message>
        <source>CFG rescale</source>
        <translation>Rééchelonnement CFG</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Compression</translation>
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
        <translation>Choisir un dossier</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Every finished image is saved here as PNG with its parameters.</source>
        <translation>Chaque image terminée est enregistrée ici en PNG avec ses paramètres.</translation>
    </message>
    <message>
        <source>demo model (draws noise)</source>
        <translation>modèle de démonstration (dessine du bruit)</translation>
    </message>
    <message>
        <source>Folder with the Stable Cascade weights (official, diffusers or ComfyUI layout).</source>
        <translation>Dossier contenant les poids de Stable Cascade (organisation officielle, diffusers ou ComfyUI).</translation>
    </message>
    <message>
        <source>Where the models run.</source>
        <translation>Où les modèles s’exécutent.</translation>
    </message>
    <message>
        <source>Number format of the weights.</source>
        <translation>Format numérique des poids.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Takes effect the next time Kaskade starts.</source>
        <translation>Prend effet au prochain démarrage de Kaskade.</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>Tous les cœurs (%1)</translation>
    </message>
    <message>
        <source>CPU threads used for inference on the CPU.</source>
        <translation>Threads utilisés pour l’inférence sur le processeur.</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Dossier du modèle</translation>
    </message>
    <message>
        <source>&amp;Output folder</source>
        <translation>Dossier de &amp;sortie</translation>
    </message>
    <message>
        <source>&amp;Model folder</source>
        <translation>Dossier du &amp;modèle</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>&amp;Périphérique</translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation>P&amp;récision</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>CPU &amp;threads</source>
        <translation>&amp;Threads du processeur</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Colours of the window: follow the system, or always light or dark.</source>
        <translation>Couleurs de la fenêtre : suivre le système, ou toujours clair ou sombre.</translation>
    </message>
    <message>
        <source>T&amp;heme</source>
        <translation>T&amp;hème</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::PreviewPane</name>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop the running job after the current step (Esc)</source>
        <translation>Arrêter la tâche en cours après l’étape actuelle (Échap)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Chargement</translation>
    </message>
    <message>
        <source>Text encoder</source>
        <translation>Encodeur de texte</translation>
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
        <translation>%1 : étape %2 sur %3</translation>
    </message>
    <message>
        <source>%1 · step %2/%3</source>
        <translation>%1 · étape %2/%3</translation>
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
        <translation> · reste environ %1</translation>
    </message>
    <message>
        <source> · elapsed %1</source>
        <translation> · écoulé %1</translation>
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
        <translation>Prompt &amp;négatif</translation>
    </message>
    <message>
        <source>Describe the image, e.g. a lighthouse at dusk, (oil painting:1.2)</source>
        <translation>Décrivez l’image, par ex. a lighthouse at dusk, (oil painting:1.2)</translation>
    </message>
    <message>
        <source>What the image should not show</source>
        <translation>Ce que l’image ne doit pas montrer</translation>
    </message>
    <message>
        <source>Emphasis: (word:1.2) weights words, (word) multiplies by 1.1, [word] divides by 1.1.
Alt+Up / Alt+Down: previous prompts. Ctrl+Return: generate.</source>
        <translation>Emphase : (mot:1.2) pondère des mots, (mot) multiplie par 1,1, [mot] divise par 1,1.
Alt+Haut / Alt+Bas : prompts précédents. Ctrl+Entrée : générer.</translation>
    </message>
    <message>
        <source>Text the image is steered away from (classifier-free guidance).</source>
        <translation>Texte dont l’image est éloignée (guidage sans classifieur).</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 jetons</translation>
    </message>
    <message>
        <source>More than %1 tokens: the prompt is encoded in 75-token chunks; the model weighs later chunks less reliably.</source>
        <translation>Plus de %1 jetons : le prompt est encodé par tranches de 75 jetons ; le modèle prend moins bien en compte les tranches suivantes.</translation>
    </message>
    <message>
        <source>Approximate CLIP token count; the text encoder reads 75 tokens at a time.</source>
        <translation>Nombre approximatif de jetons CLIP ; l’encodeur de texte lit 75 jetons à la fois.</translation>
    </message>
    <message>
        <source>CLIP token count; the text encoder reads 75 tokens at a time.</source>
        <translation>Nombre de jetons CLIP ; l’encodeur de texte lit 75 jetons à la fois.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Earlier prompts (Alt+Up / Alt+Down)</source>
        <translation>Prompts précédents (Alt+Haut / Alt+Bas)</translation>
    </message>
    <message>
        <source>A prompt holds at most %L1 characters: the rest of the text was left out.</source>
        <translation>Un prompt contient au plus %L1 caractères : le reste du texte a été laissé de côté.</translation>
    </message>
</context>
<context>
    <name>kaskade::ui::QueuePanel</name>
    <message>
        <source>(empty prompt)</source>
        <translation>(prompt vide)</translation>
    </message>
    <message>
        <source>Jobs run from top to bottom. Select queued jobs and press Delete to remove them.</source>
        <translation>Les tâches s’exécutent de haut en bas. Sélectionnez des tâches en attente et appuyez sur Suppr pour les retirer.</translation>
    </message>
    <message>
        <source>Remove the selected queued jobs (Delete)</source>
        <translation>Retirer les tâches en attente sélectionnées (Suppr)</translation>
    </message>
    <message>
        <source>Remove all queued jobs</source>
        <translation>Retirer toutes les tâches en attente</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>En cours : %1</translation>
    </message>
    <message numerus="yes">
        <source>Queue: %n job(s) waiting</source>
        <translation>
            <numerusform>File : %n tâche en attente</numerusform>
            <numerusform>File : %n tâches en attente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <source>image to image</source>
        <translation>image vers image</translation>
    </message>
    <message>
        <source>variation</source>
        <translation>variation</translation>
    </message>
    <message>
        <source>canny edges</source>
        <translation>contours Canny</translation>
    </message>
    <message>
        <source>inpainting</source>
        <translation>inpainting</translation>
    </message>
    <message>
        <source>outpainting</source>
        <translation>outpainting</translation>
    </message>
    <message>
        <source>upscaling</source>
        <translation>agrandissement</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>reconstruction</translation>
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
        <translation>Entraîner un LoRA</translation>
    </message>
    <message>
        <source>Folder of pictures (captions in same-name .txt files)</source>
        <translation>Dossier d’images (légendes dans des fichiers .txt du même nom)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Légende</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>A new word the LoRA learns, written [..] or &lt;..&gt;; use it in the captions</source>
        <translation>Un nouveau mot que le LoRA apprend, écrit [..] ou &lt;..&gt; ; utilisez-le dans les légendes</translation>
    </message>
    <message>
        <source>Start the token from the mean embedding of the vocabulary entries matching this regex</source>
        <translation>Initialiser le token avec l’embedding moyen des entrées du vocabulaire correspondant à cette expression régulière</translation>
    </message>
    <message>
        <source>Caption of pictures without their own</source>
        <translation>Légende des images qui n’en ont pas</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Trigger &amp;token:</source>
        <translation>&amp;Token déclencheur :</translation>
    </message>
    <message>
        <source>&amp;Initialise from:</source>
        <translation>&amp;Initialiser depuis :</translation>
    </message>
    <message>
        <source>Default &amp;caption:</source>
        <translation>&amp;Légende par défaut :</translation>
    </message>
    <message>
        <source>&amp;Steps:</source>
        <translation>É&amp;tapes :</translation>
    </message>
    <message>
        <source>&amp;Rank:</source>
        <translation>&amp;Rang :</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>Taux d’&amp;apprentissage :</translation>
    </message>
    <message>
        <source>Resol&amp;ution:</source>
        <translation>Résol&amp;ution :</translation>
    </message>
    <message>
        <source>&amp;Batch:</source>
        <translation>&amp;Lot :</translation>
    </message>
    <message>
        <source>Sample &amp;every:</source>
        <translation>Exemple &amp;tous les :</translation>
    </message>
    <message>
        <source>Sample &amp;prompt:</source>
        <translation>&amp;Prompt d’exemple :</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Sortie :</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <source>Loss per update</source>
        <translation>Perte par mise à jour</translation>
    </message>
    <message>
        <source>Samples appear here</source>
        <translation>Les exemples apparaissent ici</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Entraîner</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Load LoRA</source>
        <translation>&amp;Charger le LoRA</translation>
    </message>
    <message>
        <source>Export for &amp;ComfyUI…</source>
        <translation>Exporter pour &amp;ComfyUI…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Loaded %1 into the model</source>
        <translation>%1 chargé dans le modèle</translation>
    </message>
    <message>
        <source>Open a model folder first (Model ▸ Open model folder…): training needs Stage C, the text encoder and the EfficientNet encoder.</source>
        <translation>Ouvrez d’abord un dossier de modèle (Modèle ▸ Ouvrir un dossier de modèle…) : l’entraînement nécessite Stage C, l’encodeur de texte et l’encodeur EfficientNet.</translation>
    </message>
    <message>
        <source>Empty: the default caption</source>
        <translation>Vide : la légende par défaut</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder of training pictures</source>
        <translation>Dossier des images d’entraînement</translation>
    </message>
    <message>
        <source>Save the LoRA as</source>
        <translation>Enregistrer le LoRA sous</translation>
    </message>
    <message>
        <source>LoRA (*.safetensors)</source>
        <translation>LoRA (*.safetensors)</translation>
    </message>
    <message>
        <source>Open a model folder first.</source>
        <translation>Ouvrez d’abord un dossier de modèle.</translation>
    </message>
    <message>
        <source>The folder has no pictures.</source>
        <translation>Le dossier ne contient aucune image.</translation>
    </message>
    <message>
        <source>Sample after update %1</source>
        <translation>Exemple après la mise à jour %1</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>Reprise…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Export for ComfyUI</source>
        <translation>Exporter pour ComfyUI</translation>
    </message>
    <message>
        <source>Pausing after the current step…</source>
        <translation>Pause après l’étape en cours…</translation>
    </message>
    <message>
        <source>Update %1 of %2 · loss %3 · lr %4 · %5 left</source>
        <translation>Mise à jour %1 sur %2 · perte %3 · lr %4 · reste %5</translation>
    </message>
    <message>
        <source>Cancelled. The LoRA so far is in %1.</source>
        <translation>Annulé. Le LoRA obtenu jusqu’ici est dans %1.</translation>
    </message>
    <message>
        <source>Paused. Resume continues from %1.</source>
        <translation>En pause. Reprendre continue depuis %1.</translation>
    </message>
    <message>
        <source>Done: %1 (held-out loss %2 → %3)</source>
        <translation>Terminé : %1 (perte sur les données réservées %2 → %3)</translation>
    </message>
    <message>
        <source>Training is running. Stop it (a checkpoint is written) and close?</source>
        <translation>L’entraînement est en cours. L’arrêter (un point de reprise est écrit) et fermer ?</translation>
    </message>
    <message>
        <source>&amp;Aspect buckets (keep portrait and landscape framing)</source>
        <translation>Groupes de &amp;proportions (garder les cadrages portrait et paysage)</translation>
    </message>
    <message>
        <source>Group the pictures by aspect ratio into sizes of about resolution² pixels instead of cropping every picture to a square</source>
        <translation>Regrouper les images par proportions en tailles d’environ résolution² pixels au lieu de recadrer chaque image en carré</translation>
    </message>
    <message>
        <source>Write the LoRA under ComfyUI&apos;s lora_prior_unet_* names, and the learned token as a ComfyUI embedding in an embeddings folder next to it</source>
        <translation>Écrire le LoRA sous les noms lora_prior_unet_* de ComfyUI, et le token appris comme embedding ComfyUI dans un dossier embeddings à côté</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 écrit</translation>
    </message>
</context>
</TS>
