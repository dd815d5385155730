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
        <source>The device failed or ran out of memory. Try a smaller size, fewer images per job or the CPU.</source>
        <translation>Le périphérique a échoué ou manque de mémoire. Essayez une taille plus petite, moins d’images par tâche ou le processeur.</translation>
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
        <source>Save the selected image as PNG with its parameters</source>
        <translation>Enregistrer l’image sélectionnée en PNG avec ses paramètres</translation>
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
        <source>Copy the selected image's parameters as text (A1111 format)</source>
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
        <source>Move the selected images to the trash</source>
        <translation>Mettre les images sélectionnées à la corbeille</translation>
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
        <source>Output folder, model folder, device, language</source>
        <translation>Dossier de sortie, dossier du modèle, périphérique, langue</translation>
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
        <source>&lt;b&gt;Demo model: it draws noise.&lt;/b&gt; No Stable Cascade weights were found, so Kaskade loaded a model with random weights to show how everything works. To make real images, download the weights from Hugging Face (&lt;a href="https://huggingface.co/stabilityai/stable-cascade"&gt;stabilityai/stable-cascade&lt;/a&gt;; non-commercial licence) with Model ▸ Download Stable Cascade…, or open a folder that has them.</source>
        <translation>&lt;b&gt;Modèle de démonstration : il dessine du bruit.&lt;/b&gt; Aucun poids Stable Cascade n’a été trouvé ; Kaskade a donc chargé un modèle aux poids aléatoires pour montrer le fonctionnement. Pour de vraies images, téléchargez les poids depuis Hugging Face (&lt;a href="https://huggingface.co/stabilityai/stable-cascade"&gt;stabilityai/stable-cascade&lt;/a&gt; ; licence non commerciale) avec Modèle ▸ Télécharger Stable Cascade…, ou ouvrez un dossier qui les contient.</translation>
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
        <source>The model could not be loaded</source>
        <translation>Le modèle n’a pas pu être chargé</translation>
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
        <translation><numerusform>En file : %n tâche en attente</numerusform><numerusform>En file : %n tâches en attente</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Finished %n image(s) in %1 s</source>
        <translation><numerusform>%n image terminée en %1 s</numerusform><numerusform>%n images terminées en %1 s</numerusform></translation>
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
        <source>Aspect-ratio presets at sizes Stable Cascade handles well (multiples of 128 px, about one megapixel).</source>
        <translation>Préréglages de format aux tailles que Stable Cascade gère bien (multiples de 128 px, environ un mégapixel).</translation>
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
        <source>Sampler for both stages. DDPM is what the official code uses.</source>
        <translation>Échantillonneur des deux étapes. DDPM est celui du code officiel.</translation>
    </message>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automatique (GPU si disponible)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Processeur</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>GPU CUDA</translation>
    </message>
    <message>
        <source>Where the models run. Changing it reloads the model before the next job.</source>
        <translation>Où les modèles s’exécutent. Le changer recharge le modèle avant la prochaine tâche.</translation>
    </message>
    <message>
        <source>Automatic (bf16 on GPU, fp32 on CPU)</source>
        <translation>Automatique (bf16 sur GPU, fp32 sur processeur)</translation>
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
        <source>Automatic (GPU if available)</source>
        <translation>Automatique (GPU si disponible)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Processeur</translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation>GPU CUDA %1</translation>
    </message>
    <message>
        <source>Where the models run.</source>
        <translation>Où les modèles s’exécutent.</translation>
    </message>
    <message>
        <source>Automatic (bf16 on GPU, fp32 on CPU)</source>
        <translation>Automatique (bf16 sur GPU, fp32 sur processeur)</translation>
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
</context>
<context>
    <name>kaskade::ui::QueuePanel</name>
    <message>
        <source>(empty prompt)</source>
        <translation>(prompt vide)</translation>
    </message>
    <message>
        <source>%1 — %2×%3, %4 image(s)</source>
        <translation>%1 — %2×%3, %4 image(s)</translation>
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
        <translation><numerusform>File : %n tâche en attente</numerusform><numerusform>File : %n tâches en attente</numerusform></translation>
    </message>
</context>
</TS>