<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="109"/>
        <source>Some settings were not used: {0}.</source>
        <translation>部分设置未被采用：{0}。</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <location filename="../../ui/controllers/autosave.py" line="87"/>
        <source>Autosave failed, so recovery after a crash is not possible: {0}</source>
        <translation>自动保存失败，崩溃后将无法恢复：{0}</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="28"/>
        <source>Ask the assistant</source>
        <translation>询问助手</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="33"/>
        <source>Type an instruction for the selection, or an action…</source>
        <translation>为所选文字输入一条指令，或选择一个操作…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="35"/>
        <source>Enter runs the highlighted action, or your text as an instruction.</source>
        <translation>按回车执行高亮的操作，或把你输入的文字作为指令。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/command_palette.py" line="59"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <location filename="../../ui/controllers/context_meter.py" line="71"/>
        <source>Select text to see how much of the model&apos;s context it takes.</source>
        <translation>选中文字即可查看它会占用多少模型上下文。</translation>
    </message>
</context>
<context>
    <name>DocumentController</name>
    <message>
        <location filename="../../ui/controllers/documents.py" line="119"/>
        <source>{name} is in no encoding Inkwell could recognise, so it was opened as Latin-1. If the text looks wrong, choose File → Reopen with Encoding…; it will be saved back as it was read.</source>
        <translation>无法识别 {name} 的编码，因此按 Latin-1 打开。如果文字显示不对，请选择“文件 → 以其他编码重新打开…”；保存时会按读入时的方式写回。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/documents.py" line="127"/>
        <source>{name} was opened as {encoding}, found from its bytes. If the text looks wrong, choose File → Reopen with Encoding…</source>
        <translation>{name} 已按 {encoding} 打开（根据文件内容识别）。如果文字显示不对，请选择“文件 → 以其他编码重新打开…”</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/documents.py" line="147"/>
        <source>{0} The document is still open and unsaved.</source>
        <translation>{0} 文档仍然打开，尚未保存。</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <location filename="../../ui/editor/text_editor.py" line="27"/>
        <source>A suggestion is waiting here: Tab or Enter accepts it, Esc rejects it.</source>
        <translation>这里有一条待处理的建议：按 Tab 或回车接受，按 Esc 拒绝。</translation>
    </message>
    <message>
        <location filename="../../ui/editor/text_editor.py" line="61"/>
        <source>Start writing. Select text and pick an action from the Assistant menu.</source>
        <translation>开始写作吧。选中文字后，从“助手”菜单中选择一个操作。</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <location filename="../../ui/translations.py" line="42"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="43"/>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="44"/>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="45"/>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="46"/>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="47"/>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="48"/>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="49"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="50"/>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="51"/>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
</context>
<context>
    <name>LoadSteps</name>
    <message>
        <location filename="../../ui/translations.py" line="56"/>
        <source>Converting the model file (once)</source>
        <translation>正在转换模型文件（仅一次）</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="57"/>
        <source>Saving the converted model</source>
        <translation>正在保存转换后的模型</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="58"/>
        <source>Reading the converted model</source>
        <translation>正在读取转换后的模型</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="59"/>
        <source>Quantizing for this CPU</source>
        <translation>正在为此 CPU 量化</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="60"/>
        <source>Saving the fast weights</source>
        <translation>正在保存快速权重</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="61"/>
        <source>Reading the prepared model</source>
        <translation>正在读取准备好的模型</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="62"/>
        <source>Reading the model</source>
        <translation>正在读取模型</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="63"/>
        <source>Preparing the fast decode step</source>
        <translation>正在准备快速解码步骤</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="143"/>
        <source>Generating · {0:.1f} tok/s</source>
        <translation>正在生成 · {0:.1f} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="150"/>
        <source>Reviewing · paragraph {0} of {1}</source>
        <translation>正在审阅 · 第 {0} 段，共 {1} 段</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="166"/>
        <source>A review is open: finish it in the Review panel (accept, reject or stop) first.</source>
        <translation>审阅尚未结束：请先在“审阅”面板中完成（接受、拒绝或停止）。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="181"/>
        <source>the selection</source>
        <translation>所选文字</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>the whole document</source>
        <translation>整篇文档</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="187"/>
        <source>Review</source>
        <translation>审阅</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="188"/>
        <source>Go through {0}, paragraph by paragraph, and:</source>
        <translation>逐段处理{0}，并且：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="199"/>
        <source>Accept or reject the suggestion first, then review.</source>
        <translation>请先接受或拒绝当前建议，再开始审阅。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="213"/>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="213"/>
        <source>Translate the selection into:</source>
        <translation>将所选文字翻译为：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="224"/>
        <source>Draft</source>
        <translation>起草</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="225"/>
        <source>What should the passage be about? (a topic, keywords or an outline)</source>
        <translation>这段文字要写什么？（主题、关键词或提纲）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="248"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="319"/>
        <source>The interface language changes the next time Inkwell starts.</source>
        <translation>界面语言将在下次启动 Inkwell 时更改。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="327"/>
        <source>The settings could not be saved: {0}.</source>
        <translation>无法保存设置：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="369"/>
        <location filename="../../ui/main_window.py" line="401"/>
        <location filename="../../ui/main_window.py" line="440"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="371"/>
        <source>The new model was not loaded: {0} Still using {1}.</source>
        <translation>新模型未能加载：{0} 仍在使用 {1}。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="373"/>
        <location filename="../../ui/main_window.py" line="408"/>
        <location filename="../../ui/main_window.py" line="425"/>
        <source>Preferences…</source>
        <translation>首选项…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="393"/>
        <source>{0:.0f}M parameters, context {1:,} tokens. Device: {2}.</source>
        <translation>{0:.0f}M 参数，上下文 {1:,} 个词元。设备：{2}。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="421"/>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="422"/>
        <source>Unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Use the bundled model</source>
        <translation>使用内置模型</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="428"/>
        <source>No model is loaded: {0}</source>
        <translation>未加载模型：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="436"/>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="438"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="446"/>
        <source>Done · {0} tokens · {1:.1f} tok/s</source>
        <translation>完成 · {0} 个词元 · {1:.1f} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="453"/>
        <source>Done · 1 correction</source>
        <translation>完成 · 1 处更正</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="455"/>
        <source>Done · {0} corrections</source>
        <translation>完成 · {0} 处更正</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="451"/>
        <source>Done · no mistakes found</source>
        <translation>完成 · 未发现错误</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="461"/>
        <source>{0}[*] — Inkwell</source>
        <translation>{0}[*] — Inkwell</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="483"/>
        <source>Reopen with Encoding… needs a file that is saved on disk.</source>
        <translation>“以其他编码重新打开…”只适用于已保存到磁盘的文件。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="485"/>
        <source>Reopen with Encoding</source>
        <translation>以其他编码重新打开</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="485"/>
        <source>Read the file as:</source>
        <translation>按以下编码读取文件：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="495"/>
        <source>Save with Encoding</source>
        <translation>以其他编码保存</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="495"/>
        <source>Save the file as:</source>
        <translation>按以下编码保存文件：</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="519"/>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="519"/>
        <location filename="../../ui/main_window.py" line="527"/>
        <source>Text (*.txt *.md);;All files (*)</source>
        <translation>文本 (*.txt *.md);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="527"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="551"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="552"/>
        <source>{0} has unsaved changes. Save them first?</source>
        <translation>{0} 有未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="567"/>
        <source> Your unsaved changes are kept unless you reload.</source>
        <translation>除非重新加载，否则你未保存的更改会保留。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="569"/>
        <source>{0} was changed by another program.{1}</source>
        <translation>{0} 已被其他程序修改。{1}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="570"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="570"/>
        <source>Keep mine</source>
        <translation>保留我的版本</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../../ui/controllers/model.py" line="46"/>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/model.py" line="52"/>
        <source>Switching model…</source>
        <translation>正在切换模型…</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/model.py" line="63"/>
        <source>The model could not be loaded: {0}: {1}</source>
        <translation>无法加载模型：{0}：{1}</translation>
    </message>
</context>
<context>
    <name>NewOperationDialog</name>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="61"/>
        <source>New operation</source>
        <translation>新建操作</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="65"/>
        <source>poem (also its name on the command line)</source>
        <translation>poem（也是它在命令行中的名称）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="67"/>
        <source>Make it a poem (shown in the menus)</source>
        <translation>改写成诗（显示在菜单中）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="71"/>
        <source>The answer replaces the selection</source>
        <translation>结果替换所选文字</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="75"/>
        <source>Placeholders: {text} the selection (required), {before} and {after} the text around it, {language} asks for a language.</source>
        <translation>占位符：{text} 为所选文字（必需），{before} 和 {after} 为其前后的文字，{language} 会询问目标语言。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="90"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="91"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="92"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="94"/>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="113"/>
        <source>{0} is already used by another action.</source>
        <translation>{0} 已被另一个操作占用。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../ui/panels/notice_bar.py" line="31"/>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../ui/translations.py" line="28"/>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="29"/>
        <source>Proofread</source>
        <translation>校对</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="30"/>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="31"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="32"/>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="33"/>
        <source>Draft</source>
        <translation>起草</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="34"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="35"/>
        <source>Clearer</source>
        <translation>更清晰</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="36"/>
        <source>Shorter</source>
        <translation>更简洁</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="37"/>
        <source>Formal</source>
        <translation>更正式</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="38"/>
        <source>Casual</source>
        <translation>更随和</translation>
    </message>
    <message>
        <location filename="../../ui/translations.py" line="39"/>
        <source>Expand</source>
        <translation>扩写</translation>
    </message>
</context>
<context>
    <name>PromptEditor</name>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="131"/>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="161"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="162"/>
        <source>Reset to default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="163"/>
        <source>New operation…</source>
        <translation>新建操作…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="164"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="165"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="177"/>
        <source>Style for the preview:</source>
        <translation>预览使用的风格：</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="181"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="185"/>
        <source>Placeholders: {text} the selection · {before} / {after} the text around it · {style} · {language} · {instruction}</source>
        <translation>占位符：{text} 所选文字 · {before} / {after} 其前后的文字 · {style} · {language} · {instruction}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="193"/>
        <source>Preview: the prompt the model receives for your selection</source>
        <translation>预览：模型针对所选文字实际收到的提示词</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="224"/>
        <source>System prompt (all operations)</source>
        <translation>系统提示词（所有操作）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="252"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="254"/>
        <source>(as Rewrite: clearer)</source>
        <translation>（按“改写：更清晰”）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="320"/>
        <source>Rendering…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="329"/>
        <source>The preview failed: {0}: {1}</source>
        <translation>预览失败：{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="332"/>
        <source>{0:,} characters, exactly as the model receives them.</source>
        <translation>{0:,} 个字符，与模型收到的内容完全一致。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="335"/>
        <source>{0:,} characters, as a server receives them. A model on this computer gets no prompt for this operation: it judges small edits (spelling, confusable words, doubled words, articles) and never writes the text itself.</source>
        <translation>{0:,} 个字符，这是服务器收到的内容。本机模型执行此操作时不使用提示词：它只判断细小的修改（拼写、易混词、重复词、冠词），从不自行改写文字。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="360"/>
        <location filename="../../ui/dialogs/prompt_editor.py" line="395"/>
        <source>Could not save the prompts: {0}.</source>
        <translation>无法保存提示词：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/prompt_editor.py" line="389"/>
        <location filename="../../ui/dialogs/prompt_editor.py" line="394"/>
        <source>New operation</source>
        <translation>新建操作</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="28"/>
        <source>{0} s ago</source>
        <translation>{0} 秒前</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="30"/>
        <source>{0} min ago</source>
        <translation>{0} 分钟前</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="32"/>
        <source>{0} h ago</source>
        <translation>{0} 小时前</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="34"/>
        <source>{0} — last autosaved {1} ({2}), {3:,} words</source>
        <translation>{0} — 最后自动保存于 {1}（{2}），{3:,} 字</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="45"/>
        <source>Recover documents</source>
        <translation>恢复文档</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="49"/>
        <source>Inkwell did not close properly last time. These documents had changes that were not saved; restore one to keep working on it.</source>
        <translation>Inkwell 上次没有正常关闭。以下文档有尚未保存的更改；恢复其中一个即可继续编辑。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="62"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="64"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/recovery_dialog.py" line="65"/>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <location filename="../../ui/controllers/review.py" line="114"/>
        <source>A review is open: accept or reject its suggestions first.</source>
        <translation>审阅尚未结束：请先接受或拒绝其中的建议。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="120"/>
        <source>{0} does not rewrite text in place, so it cannot review.</source>
        <translation>“{0}”不会原地改写文字，因此不能用于审阅。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="133"/>
        <source>There is no paragraph to review here.</source>
        <translation>这里没有可审阅的段落。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="194"/>
        <source>The review stopped: {0}: {1}</source>
        <translation>审阅已停止：{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="203"/>
        <source>Review stopped · {0} suggestion in {1} paragraphs</source>
        <translation>审阅已停止 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="205"/>
        <source>Review stopped · {0} suggestions in {1} paragraphs</source>
        <translation>审阅已停止 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="209"/>
        <source>Review done · {0} suggestion in {1} paragraphs</source>
        <translation>审阅完成 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="211"/>
        <source>Review done · {0} suggestions in {1} paragraphs</source>
        <translation>审阅完成 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="215"/>
        <source> · {0} edited, skipped</source>
        <translation> · {0} 段已被修改，已跳过</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/review.py" line="217"/>
        <source> · {0} failed</source>
        <translation> · {0} 段失败</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="39"/>
        <source>No review yet.</source>
        <translation>尚无审阅。</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="43"/>
        <source>Pick a suggestion to see its changes.</source>
        <translation>选择一条建议以查看其更改。</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="45"/>
        <source>◀ Previous</source>
        <translation>◀ 上一条</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="46"/>
        <source>Next ▶</source>
        <translation>下一条 ▶</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="47"/>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="48"/>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="49"/>
        <source>Accept all</source>
        <translation>全部接受</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="50"/>
        <source>Reject all</source>
        <translation>全部拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="51"/>
        <source>Stop review</source>
        <translation>停止审阅</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="89"/>
        <source>{0} · paragraph {1} of {2}</source>
        <translation>{0} · 第 {1} 段，共 {2} 段</translation>
    </message>
    <message>
        <location filename="../../ui/panels/review_panel.py" line="102"/>
        <source>¶ {0} · edited, skipped · {1}</source>
        <translation>¶ {0} · 已被修改，已跳过 · {1}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="57"/>
        <source>Bundled model (SmolLM2-135M-Instruct)</source>
        <translation>内置模型（SmolLM2-135M-Instruct）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="58"/>
        <source>Local model folder</source>
        <translation>本地模型文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="59"/>
        <source>Local GGUF file</source>
        <translation>本地 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="60"/>
        <source>Hugging Face model id</source>
        <translation>Hugging Face 模型 ID</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="61"/>
        <source>OpenAI-compatible server (vLLM, llama.cpp, Ollama)</source>
        <translation>OpenAI 兼容服务器（vLLM、llama.cpp、Ollama）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="64"/>
        <location filename="../../ui/dialogs/preferences.py" line="70"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="67"/>
        <source>Apple GPU (MPS)</source>
        <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="76"/>
        <source>Fast (4-bit on the CPU)</source>
        <translation>快速（CPU 上 4 位量化）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="77"/>
        <source>Exact (float32)</source>
        <translation>精确（float32）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="80"/>
        <location filename="../../ui/dialogs/preferences.py" line="85"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="81"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="82"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="90"/>
        <source>The system&apos;s (from its language)</source>
        <translation>系统默认（按系统语言）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="109"/>
        <source>In use: {0} on {1}.</source>
        <translation>正在使用：{0}，运行于 {1}。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="113"/>
        <source>In use: {0} on {1} ({2})</source>
        <translation>正在使用：{0}，运行于 {1}（{2}）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="119"/>
        <source>weights {0:,.0f} MB</source>
        <translation>权重 {0:,.0f} MB</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="125"/>
        <source>Inkwell now uses {0:,.0f} MB in all</source>
        <translation>Inkwell 目前共占用 {0:,.0f} MB</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="130"/>
        <source>context {0:,} tokens</source>
        <translation>上下文 {0:,} 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="132"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="132"/>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="153"/>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="165"/>
        <location filename="../../ui/dialogs/preferences.py" line="203"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="167"/>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="168"/>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="206"/>
        <source>Choose a model folder or a .gguf file</source>
        <translation>选择模型文件夹或 .gguf 文件</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="207"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="214"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="217"/>
        <source>Choose one of the recommended models…</source>
        <translation>选择一个推荐的模型…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="225"/>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="227"/>
        <source>e.g. HuggingFaceTB/SmolLM2-360M-Instruct</source>
        <translation>例如 HuggingFaceTB/SmolLM2-360M-Instruct</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="228"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="229"/>
        <source>Inkwell only goes online when you press this.</source>
        <translation>只有按下此按钮时 Inkwell 才会联网。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="231"/>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="240"/>
        <source>Model id</source>
        <translation>模型 ID</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="252"/>
        <source>http://127.0.0.1:8000 (…/v1 is added when missing)</source>
        <translation>http://127.0.0.1:8000（缺少时会自动补上 …/v1）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="254"/>
        <source>the first model the server lists</source>
        <translation>服务器列出的第一个模型</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="256"/>
        <source>name of an environment variable, e.g. OPENAI_API_KEY</source>
        <translation>环境变量的名称，例如 OPENAI_API_KEY</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="259"/>
        <location filename="../../ui/dialogs/preferences.py" line="358"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="262"/>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="263"/>
        <source>Server model</source>
        <translation>服务器模型</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="264"/>
        <source>API key variable</source>
        <translation>API 密钥变量</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="265"/>
        <source>First-byte timeout</source>
        <translation>首字节超时</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="276"/>
        <source>The model&apos;s own</source>
        <translation>模型自身的</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="277"/>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="280"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="281"/>
        <source>Precision on the CPU</source>
        <translation>CPU 上的精度</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="282"/>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="283"/>
        <source>Context size</source>
        <translation>上下文大小</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="291"/>
        <source>Before loading</source>
        <translation>加载前</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="294"/>
        <source>After loading</source>
        <translation>加载后</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="321"/>
        <source>Each operation&apos;s own</source>
        <translation>按各操作的设定</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="326"/>
        <source>0 (greedy: the same answer every time)</source>
        <translation>0（贪心：每次结果相同）</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="332"/>
        <source>Longest answer</source>
        <translation>最长回答</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="333"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="334"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="335"/>
        <source>Top-p only matters when the temperature is above 0.</source>
        <translation>只有温度大于 0 时 Top-p 才起作用。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="343"/>
        <source>Use the system font</source>
        <translation>使用系统字体</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="352"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="353"/>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="361"/>
        <source>Autosave also runs 2 s after you stop typing; this is the longest wait.</source>
        <translation>停止输入 2 秒后也会自动保存；这是最长的间隔。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="363"/>
        <source>Underline unknown words as I type</source>
        <translation>输入时为未知单词加下划线</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="367"/>
        <source>The dictionary for underlines and for Proofread&apos;s candidates.</source>
        <translation>用于下划线提示和校对候选的词典。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="370"/>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="371"/>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="372"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="373"/>
        <source>Autosave at least every</source>
        <translation>自动保存间隔最长为</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="374"/>
        <source>Spelling</source>
        <translation>拼写</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="375"/>
        <source>Dictionary</source>
        <translation>词典</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="377"/>
        <source>Applies the next time Inkwell starts.</source>
        <translation>下次启动 Inkwell 时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="378"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="381"/>
        <source>Used for old files whose encoding cannot be told from their bytes alone.</source>
        <translation>用于无法仅凭内容判断编码的旧文件。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="383"/>
        <source>Older files&apos; encoding</source>
        <translation>旧文件的编码</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="435"/>
        <source>Choose the model&apos;s folder or file first.</source>
        <translation>请先选择模型文件夹或文件。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="437"/>
        <source>Type the model&apos;s id first, e.g. HuggingFaceTB/SmolLM2-360M-Instruct.</source>
        <translation>请先输入模型 ID，例如 HuggingFaceTB/SmolLM2-360M-Instruct。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="439"/>
        <source>Type the server&apos;s URL first.</source>
        <translation>请先输入服务器 URL。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="470"/>
        <source>A folder with config.json and weights</source>
        <translation>包含 config.json 和权重的文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="472"/>
        <source>A .gguf file</source>
        <translation>.gguf 文件</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="479"/>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="484"/>
        <source>Choose a GGUF file</source>
        <translation>选择 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="486"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="494"/>
        <source>The model runs on the server; its memory is the server&apos;s.</source>
        <translation>模型运行在服务器上，占用的是服务器的内存。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="501"/>
        <source>Checking the model&apos;s size…</source>
        <translation>正在检查模型大小…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="507"/>
        <source>Its size could not be read: {0}.</source>
        <translation>无法读取其大小：{0}。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="528"/>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="546"/>
        <source>Downloading {0}…</source>
        <translation>正在下载 {0}…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="555"/>
        <source>The download failed: {0}: {1}</source>
        <translation>下载失败：{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="567"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="574"/>
        <source>{0:,.1f} of {1:,.1f} MB</source>
        <translation>{0:,.1f} / {1:,.1f} MB</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/preferences.py" line="585"/>
        <source>Downloaded. Press Apply or OK to load it.</source>
        <translation>下载完成。按“应用”或“确定”即可加载。</translation>
    </message>
</context>
<context>
    <name>SpellChecker</name>
    <message>
        <location filename="../../ui/editor/spell_check.py" line="148"/>
        <source>No suggestions</source>
        <translation>没有建议</translation>
    </message>
    <message>
        <location filename="../../ui/editor/spell_check.py" line="151"/>
        <source>Add “{0}” to dictionary</source>
        <translation>将“{0}”添加到词典</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="34"/>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="79"/>
        <source>{0:,} words · {1:,} lines</source>
        <translation>{0:,} 字 · {1:,} 行</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="93"/>
        <source>Context {0}{1:,} / {2:,}</source>
        <translation>上下文 {0}{1:,} / {2:,}</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="95"/>
        <source>{0} would send {1}{2:,} tokens (your selection plus the prompt); the model&apos;s context window is {3:,} tokens.</source>
        <translation>{0}将发送 {1}{2:,} 个词元（所选文字加提示词）；模型的上下文窗口为 {3:,} 个词元。</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="99"/>
        <source> That is too long: select a shorter passage.</source>
        <translation>内容太长：请选择较短的段落。</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="102"/>
        <source>Context {0}{1:,} tokens</source>
        <translation>上下文 {0}{1:,} 个词元</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="104"/>
        <source>{0} would send {1}{2:,} tokens; the server&apos;s context window is not known here.</source>
        <translation>{0}将发送 {1}{2:,} 个词元；此处无法得知服务器的上下文窗口。</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="153"/>
        <source> · about {0:.0f} s left</source>
        <translation> · 约剩 {0:.0f} 秒</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="156"/>
        <source>{0}… ({1} of {2}){3}</source>
        <translation>{0}…（第 {1} 步，共 {2} 步）{3}</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="157"/>
        <source>step {0} of {1}, {2}</source>
        <translation>第 {0} 步，共 {1} 步：{2}</translation>
    </message>
    <message>
        <location filename="../../ui/panels/status_bar.py" line="158"/>
        <source>Loading the model: {0}.</source>
        <translation>正在加载模型：{0}。</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="68"/>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="68"/>
        <source>Accept the suggestion (Tab or Enter)</source>
        <translation>接受建议（Tab 或回车）</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="71"/>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="71"/>
        <source>Reject the suggestion (Esc)</source>
        <translation>拒绝建议（Esc）</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="73"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="73"/>
        <source>Stop generating (Esc)</source>
        <translation>停止生成（Esc）</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="75"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="75"/>
        <source>Generate another suggestion</source>
        <translation>生成另一条建议</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="77"/>
        <source>Diff</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="77"/>
        <source>Show the changes word by word</source>
        <translation>逐词显示更改</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="102"/>
        <source>Point at a sentence to see where in your text it comes from</source>
        <translation>指向一个句子，查看它出自原文的哪里</translation>
    </message>
    <message>
        <location filename="../../ui/editor/suggestion_bar.py" line="144"/>
        <source>Sources of sentence:</source>
        <translation>句子出处：</translation>
    </message>
</context>
<context>
    <name>SuggestionController</name>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="163"/>
        <source>Select the text to {0} first.</source>
        <translation>请先选中要{0}的文字。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="171"/>
        <source>Write something first: Continue carries on from the text before the cursor.</source>
        <translation>请先写点内容：续写会接着光标前的文字继续。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="179"/>
        <source>Give Draft a topic, some keywords or an outline first.</source>
        <translation>请先为起草提供主题、关键词或提纲。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="180"/>
        <source>Select the text for {0} first.</source>
        <translation>请先选中要用于“{0}”的文字。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="246"/>
        <source>Continue reads the {0:,} characters before the cursor; the {1:,} before those are left out.</source>
        <translation>续写会读取光标前的 {0:,} 个字符；更前面的 {1:,} 个字符不会读取。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="279"/>
        <source>Summarizing: {0}</source>
        <translation>正在摘要：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="312"/>
        <source>Generation failed: {0}: {1}</source>
        <translation>生成失败：{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="322"/>
        <source>The model produced no text for this. Try again or rephrase it.</source>
        <translation>模型没有生成任何文字。请重试或换个说法。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="327"/>
        <source>The suggestion was cut off: {0}</source>
        <translation>建议被截断：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="373"/>
        <source>Writing…</source>
        <translation>正在书写…</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="374"/>
        <source>Cut off</source>
        <translation>已截断</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="374"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="375"/>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="411"/>
        <source>Nothing to accept yet: the suggestion has no text.</source>
        <translation>还没有可接受的内容：建议中还没有文字。</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="494"/>
        <source>drops: {0}</source>
        <translation>遗漏：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/controllers/suggestions.py" line="580"/>
        <source>The text under the suggestion changed, so the suggestion was withdrawn.</source>
        <translation>建议所在位置的文字已被修改，因此撤回了该建议。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../ui/actions.py" line="79"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="80"/>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="81"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="82"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="84"/>
        <source>Reopen with E&amp;ncoding…</source>
        <translation>以其他编码重新打开(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="86"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="88"/>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="89"/>
        <source>Save with &amp;Encoding…</source>
        <translation>以其他编码保存(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="90"/>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="92"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="94"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="96"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="97"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="104"/>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="105"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="106"/>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="107"/>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="109"/>
        <source>Pr&amp;eferences…</source>
        <translation>首选项(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="113"/>
        <source>&amp;Assistant</source>
        <translation>助手(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="114"/>
        <source>&amp;Rewrite</source>
        <translation>改写(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="126"/>
        <source>&amp;Proofread</source>
        <translation>校对(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="129"/>
        <source>&amp;Summarize</source>
        <translation>摘要(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="131"/>
        <source>&amp;Translate</source>
        <translation>翻译(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="133"/>
        <source>Translate to…</source>
        <translation>翻译为…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="142"/>
        <source>&amp;Continue</source>
        <translation>续写(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="144"/>
        <source>&amp;Draft…</source>
        <translation>起草(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="145"/>
        <source>Ask (&amp;custom instruction)…</source>
        <translation>提问（自定义指令）(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="147"/>
        <source>Re&amp;view document…</source>
        <translation>审阅文档(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="148"/>
        <source>Next review suggestion</source>
        <translation>下一条审阅建议</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="150"/>
        <source>Previous review suggestion</source>
        <translation>上一条审阅建议</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="155"/>
        <source>&amp;My operations</source>
        <translation>我的操作(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="157"/>
        <source>Edit &amp;prompts and operations…</source>
        <translation>编辑提示词和操作(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="161"/>
        <source>Accept suggestion	Tab</source>
        <translation>接受建议	Tab</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="162"/>
        <source>Reject suggestion	Esc</source>
        <translation>拒绝建议	Esc</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="163"/>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="164"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="166"/>
        <source>Show changes</source>
        <translation>显示更改</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="170"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="171"/>
        <source>Open &amp;Log Folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="172"/>
        <source>The log holds no document text, no paths and no keys.</source>
        <translation>日志中不含文档内容、路径或密钥。</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="175"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="194"/>
        <source>Ask…</source>
        <translation>提问…</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="195"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="225"/>
        <source>Your operation {0!r}</source>
        <translation>你的操作 {0!r}</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="238"/>
        <source>Rewrite: {0}</source>
        <translation>改写：{0}</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="241"/>
        <source>Proofread</source>
        <translation>校对</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="242"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="245"/>
        <source>Translate to {0}</source>
        <translation>翻译为{0}</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="248"/>
        <source>Continue writing</source>
        <translation>续写</translation>
    </message>
    <message>
        <location filename="../../ui/actions.py" line="269"/>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
</context>
</TS>
