<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Autosaver</name>
    <message>
        <location filename="../../ui/controllers/autosave.py" line="87"/>
        <source>Autosave failed, so recovery after a crash is not possible: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="28"/>
        <source>Ask the assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="33"/>
        <source>Type an instruction for the selection, or an action…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="35"/>
        <source>Enter runs the highlighted action, or your text as an instruction.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="59"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentController</name>
    <message>
        <location filename="../../ui/controllers/documents.py" line="109"/>
        <source>{name} is in no encoding Inkwell could recognise, so it was opened as Latin-1. If the text looks wrong, choose File → Reopen with Encoding…; it will be saved back as it was read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/documents.py" line="117"/>
        <source>{name} was opened as {encoding}, found from its bytes. If the text looks wrong, choose File → Reopen with Encoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/documents.py" line="137"/>
        <source>{0} The document is still open and unsaved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <location filename="../../ui/editor/text_editor.py" line="59"/>
        <source>Start writing. Select text and pick an action from the Assistant menu.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="143"/>
        <source>Generating · {0:.1f} tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="150"/>
        <source>Reviewing · paragraph {0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="166"/>
        <source>A review is open: finish it in the Review panel (accept, reject or stop) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="184"/>
        <source>Go through {0}, paragraph by paragraph, and:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="195"/>
        <source>Accept or reject the suggestion first, then review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="209"/>
        <source>Translate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="209"/>
        <source>Translate the selection into:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="318"/>
        <source>The settings could not be saved: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="355"/>
        <location filename="../../ui/main_window.py" line="386"/>
        <location filename="../../ui/main_window.py" line="423"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="405"/>
        <source>Unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="411"/>
        <source>No model is loaded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="419"/>
        <source>Generating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="421"/>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="429"/>
        <source>Done · {0} tokens · {1:.1f} tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="442"/>
        <source>{0}[*] — Inkwell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="464"/>
        <source>Reopen with Encoding… needs a file that is saved on disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="466"/>
        <source>Reopen with Encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="466"/>
        <source>Read the file as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="476"/>
        <source>Save with Encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="476"/>
        <source>Save the file as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="500"/>
        <source>Save as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="500"/>
        <location filename="../../ui/main_window.py" line="508"/>
        <source>Text (*.txt *.md);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="508"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="532"/>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="533"/>
        <source>{0} has unsaved changes. Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="550"/>
        <source>{0} was changed by another program.{1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../../ui/controllers/model.py" line="46"/>
        <source>Loading model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/model.py" line="52"/>
        <source>Switching model…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewOperationDialog</name>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="61"/>
        <source>New operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="65"/>
        <source>poem (also its name on the command line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="67"/>
        <source>Make it a poem (shown in the menus)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="71"/>
        <source>The answer replaces the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="75"/>
        <source>Placeholders: {text} the selection (required), {before} and {after} the text around it, {language} asks for a language.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="90"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="91"/>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="92"/>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="94"/>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="113"/>
        <source>{0} is already used by another action.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PromptEditor</name>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="131"/>
        <source>Prompts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="161"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="162"/>
        <source>Reset to default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="163"/>
        <source>New operation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="164"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="165"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="177"/>
        <source>Style for the preview:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="181"/>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="185"/>
        <source>Placeholders: {text} the selection · {before} / {after} the text around it · {style} · {language} · {instruction}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="193"/>
        <source>Preview: the prompt the model receives for your selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="252"/>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="254"/>
        <source>(as Rewrite: clearer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="254"/>
        <source>rewrite:clearer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="320"/>
        <source>Rendering…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="360"/>
        <location filename="../../ui/dialogs/prompt_editor.py" line="395"/>
        <source>Could not save the prompts: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="389"/>
        <location filename="../../ui/dialogs/prompt_editor.py" line="394"/>
        <source>New operation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="36"/>
        <source>Recover documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="40"/>
        <source>Inkwell did not close properly last time. These documents had changes that were not saved; restore one to keep working on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="53"/>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="55"/>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="56"/>
        <source>Decide later</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <location filename="../../ui/controllers/review.py" line="114"/>
        <source>A review is open: accept or reject its suggestions first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="131"/>
        <source>There is no paragraph to review here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="192"/>
        <source>The review stopped: {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="39"/>
        <source>No review yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="43"/>
        <source>Pick a suggestion to see its changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="45"/>
        <source>◀ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="46"/>
        <source>Next ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="47"/>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="48"/>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="49"/>
        <source>Accept all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="50"/>
        <source>Reject all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="51"/>
        <source>Stop review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="89"/>
        <source>{0} · paragraph {1} of {2}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="106"/>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="118"/>
        <location filename="../../ui/dialogs/preferences.py" line="156"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="120"/>
        <source>Generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="121"/>
        <source>Editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="159"/>
        <source>Choose a model folder or a .gguf file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="160"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="167"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="170"/>
        <source>Choose one of the recommended models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="178"/>
        <source>Recommended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="180"/>
        <source>e.g. HuggingFaceTB/SmolLM2-360M-Instruct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="181"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="182"/>
        <source>Inkwell only goes online when you press this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="184"/>
        <source>Cancel download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="193"/>
        <source>Model id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="205"/>
        <source>http://127.0.0.1:8000 (…/v1 is added when missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="207"/>
        <source>the first model the server lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="209"/>
        <source>name of an environment variable, e.g. OPENAI_API_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="212"/>
        <location filename="../../ui/dialogs/preferences.py" line="311"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="229"/>
        <source>The model&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="230"/>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="244"/>
        <source>Before loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="247"/>
        <source>After loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="274"/>
        <source>Each operation&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="279"/>
        <source>0 (greedy: the same answer every time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="285"/>
        <source>Longest answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="286"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="287"/>
        <source>Top-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="288"/>
        <source>Top-p only matters when the temperature is above 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="296"/>
        <source>Use the system font</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="305"/>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="306"/>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="314"/>
        <source>Autosave also runs 2 s after you stop typing; this is the longest wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="316"/>
        <source>Underline unknown words as I type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="320"/>
        <source>The dictionary for underlines and for Proofread&apos;s candidates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="323"/>
        <source>Font</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="324"/>
        <source>Font size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="325"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="326"/>
        <source>Autosave at least every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="327"/>
        <source>Spelling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="328"/>
        <source>Dictionary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="423"/>
        <source>Choose a GGUF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="425"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="433"/>
        <source>The model runs on the server; its memory is the server&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="440"/>
        <source>Checking the model&apos;s size…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="446"/>
        <source>Its size could not be read: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="483"/>
        <source>Downloading {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="492"/>
        <source>The download failed: {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="504"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="520"/>
        <source>Downloaded. Press Apply or OK to load it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpellChecker</name>
    <message>
        <location filename="../../ui/editor/spell_check.py" line="148"/>
        <source>No suggestions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/editor/spell_check.py" line="151"/>
        <source>Add “{0}” to dictionary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="33"/>
        <source>No model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="78"/>
        <source>{0:,} words · {1:,} lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="92"/>
        <source>Context {0}{1:,} / {2:,}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="101"/>
        <source>Context {0}{1:,} tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="152"/>
        <source>{0}… ({1} of {2}){3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="154"/>
        <source>Loading the model: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SuggestionController</name>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="240"/>
        <source>Continue reads the {0:,} characters before the cursor; the {1:,} before those are left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="269"/>
        <source>Summarizing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="311"/>
        <source>The suggestion was cut off: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="505"/>
        <source>The text under the suggestion changed, so the suggestion was withdrawn.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../ui/actions.py" line="78"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="79"/>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="80"/>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="81"/>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="83"/>
        <source>Reopen with E&amp;ncoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="85"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="87"/>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="88"/>
        <source>Save with &amp;Encoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="89"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="91"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="93"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="95"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="96"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="103"/>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="104"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="105"/>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="106"/>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="108"/>
        <source>Pr&amp;eferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="112"/>
        <source>&amp;Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="125"/>
        <source>&amp;Proofread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="128"/>
        <source>&amp;Summarize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="132"/>
        <source>Translate to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="141"/>
        <source>&amp;Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="143"/>
        <source>&amp;Draft…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="144"/>
        <source>Ask (&amp;custom instruction)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="146"/>
        <source>Re&amp;view document…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="147"/>
        <source>Next review suggestion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="149"/>
        <source>Previous review suggestion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="156"/>
        <source>Edit &amp;prompts and operations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="160"/>
        <source>Accept suggestion	Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="161"/>
        <source>Reject suggestion	Esc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="162"/>
        <source>Stop generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="163"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="165"/>
        <source>Show changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="219"/>
        <source>Your operation {0!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="232"/>
        <source>Rewrite: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="235"/>
        <source>Proofread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="236"/>
        <source>Summarize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="239"/>
        <source>Translate to {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="242"/>
        <source>Continue writing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
