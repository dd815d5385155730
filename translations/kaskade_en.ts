<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>kaskade::ui::MainWindow</name>
    <message numerus="yes">
        <source>Queued: %n job(s) waiting</source>
        <translation>
            <numerusform>Queued: %n job waiting</numerusform>
            <numerusform>Queued: %n jobs waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished %n image(s) in %1 s</source>
        <translation>
            <numerusform>Finished %n image in %1 s</numerusform>
            <numerusform>Finished %n images in %1 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n LoRA(s)</source>
        <translation>
            <numerusform>%n LoRA</numerusform>
            <numerusform>%n LoRAs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings them back.</source>
        <translation>
            <numerusform>%n image moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings it back.</numerusform>
            <numerusform>%n images moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings them back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) deleted.</source>
        <translation>
            <numerusform>%n image deleted.</numerusform>
            <numerusform>%n images deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) restored.</source>
        <translation>
            <numerusform>%n image restored.</numerusform>
            <numerusform>%n images restored.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kaskade::ui::QueuePanel</name>
    <message numerus="yes">
        <source>Queue: %n job(s) waiting</source>
        <translation>
            <numerusform>Queue: %n job waiting</numerusform>
            <numerusform>Queue: %n jobs waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kaskade::ui::TrainLoraDialog</name>
    <message numerus="yes">
        <source>%n picture(s)</source>
        <translation>
            <numerusform>%n picture</numerusform>
            <numerusform>%n pictures</numerusform>
        </translation>
    </message>
</context>
</TS>
