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
</context>
</TS>
