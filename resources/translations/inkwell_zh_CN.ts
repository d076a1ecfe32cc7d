<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Some settings were not used: {0}.</source>
        <translation>部分设置未被采用：{0}。</translation>
    </message>
</context>
<context>
    <name>AskController</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>The questions could not be kept: {0}</source>
        <translation>无法保存这些问题：{0}</translation>
    </message>
    <message>
        <source>Type a question about the document first.</source>
        <translation>请先输入关于文稿的问题。</translation>
    </message>
    <message>
        <source>Asking failed: {0}: {1}</source>
        <translation>询问失败：{0}：{1}</translation>
    </message>
    <message>
        <source>That passage has been changed since the answer was given.</source>
        <translation>给出回答之后，该段文字已被修改。</translation>
    </message>
</context>
<context>
    <name>AskPanel</name>
    <message>
        <source>Ask your draft</source>
        <translation>询问文稿</translation>
    </message>
    <message>
        <source>Your question…</source>
        <translation>你的问题…</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>询问</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>Ask about this document. Every answer shows where it came from.</source>
        <translation>就这篇文稿提问。每个回答都会标明出处。</translation>
    </message>
    <message>
        <source>Put the last answer (or your selection of it) at the cursor as a suggestion</source>
        <translation>将最后一个回答（或其中选中的部分）作为建议插入到光标处</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>I found nothing about that in this document.</source>
        <translation>在这篇文稿中没有找到相关内容。</translation>
    </message>
    <message>
        <source>Export the conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>questions.md</source>
        <translation>问题.md</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>Autosave failed, so recovery after a crash is not possible: {0}</source>
        <translation>自动保存失败，崩溃后将无法恢复：{0}</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Ask the assistant</source>
        <translation>询问助手</translation>
    </message>
    <message>
        <source>Type an instruction for the selection, or an action…</source>
        <translation>为所选文字输入一条指令，或选择一个操作…</translation>
    </message>
    <message>
        <source>Enter runs the highlighted action, or your text as an instruction.</source>
        <translation>按回车执行高亮的操作，或把你输入的文字作为指令。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <source>Select text to see how much of the model&apos;s context it takes.</source>
        <translation>选中文字即可查看它会占用多少模型上下文。</translation>
    </message>
</context>
<context>
    <name>DocumentController</name>
    <message>
        <source>{name} is in no encoding Inkwell could recognise, so it was opened as Latin-1. If the text looks wrong, choose File → Reopen with Encoding…; it will be saved back as it was read.</source>
        <translation>无法识别 {name} 的编码，因此按 Latin-1 打开。如果文字显示不对，请选择“文件 → 以其他编码重新打开…”；保存时会按读入时的方式写回。</translation>
    </message>
    <message>
        <source>{name} was opened as {encoding}, found from its bytes. If the text looks wrong, choose File → Reopen with Encoding…</source>
        <translation>{name} 已按 {encoding} 打开（根据文件内容识别）。如果文字显示不对，请选择“文件 → 以其他编码重新打开…”</translation>
    </message>
    <message>
        <source>{0} The document is still open and unsaved.</source>
        <translation>{0} 文档仍然打开，尚未保存。</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>A suggestion is waiting here: Tab or Enter accepts it, Esc rejects it.</source>
        <translation>这里有一条待处理的建议：按 Tab 或回车接受，按 Esc 拒绝。</translation>
    </message>
    <message>
        <source>Start writing. Select text and pick an action from the Assistant menu.</source>
        <translation>开始写作吧。选中文字后，从“助手”菜单中选择一个操作。</translation>
    </message>
</context>
<context>
    <name>HistoryController</name>
    <message>
        <source>The suggestion history could not be kept: {0}</source>
        <translation>无法保存建议历史：{0}</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Suggestion history</source>
        <translation>建议历史</translation>
    </message>
    <message>
        <source>Insert again</source>
        <translation>再次插入</translation>
    </message>
    <message>
        <source>Put this suggestion at the cursor, to accept or reject</source>
        <translation>将此建议放到光标处，可接受或拒绝</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>was: {0}</source>
        <translation>原文：{0}</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
</context>
<context>
    <name>LoadSteps</name>
    <message>
        <source>Converting the model file (once)</source>
        <translation>正在转换模型文件（仅一次）</translation>
    </message>
    <message>
        <source>Saving the converted model</source>
        <translation>正在保存转换后的模型</translation>
    </message>
    <message>
        <source>Reading the converted model</source>
        <translation>正在读取转换后的模型</translation>
    </message>
    <message>
        <source>Quantizing for this CPU</source>
        <translation>正在为此 CPU 量化</translation>
    </message>
    <message>
        <source>Saving the fast weights</source>
        <translation>正在保存快速权重</translation>
    </message>
    <message>
        <source>Reading the prepared model</source>
        <translation>正在读取准备好的模型</translation>
    </message>
    <message>
        <source>Reading the model</source>
        <translation>正在读取模型</translation>
    </message>
    <message>
        <source>Preparing the fast decode step</source>
        <translation>正在准备快速解码步骤</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Generating · {0:.1f} tok/s</source>
        <translation>正在生成 · {0:.1f} 词元/秒</translation>
    </message>
    <message>
        <source>Reviewing · paragraph {0} of {1}</source>
        <translation>正在审阅 · 第 {0} 段，共 {1} 段</translation>
    </message>
    <message>
        <source>A review is open: finish it in the Review panel (accept, reject or stop) first.</source>
        <translation>审阅尚未结束：请先在“审阅”面板中完成（接受、拒绝或停止）。</translation>
    </message>
    <message>
        <source>A review is running: ask when it has finished, or stop it.</source>
        <translation>审阅正在进行：请在其完成后再提问，或先停止审阅。</translation>
    </message>
    <message>
        <source>A suggestion is being written: ask when it is done, or stop it.</source>
        <translation>正在生成建议：请在其完成后再提问，或先停止生成。</translation>
    </message>
    <message>
        <source>A review is open: finish it in the Review panel first.</source>
        <translation>有一个审阅尚未完成：请先在审阅面板中处理完。</translation>
    </message>
    <message>
        <source>the selection</source>
        <translation>所选文字</translation>
    </message>
    <message>
        <source>the whole document</source>
        <translation>整篇文档</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>Go through {0}, paragraph by paragraph, and:</source>
        <translation>逐段处理{0}，并且：</translation>
    </message>
    <message>
        <source>Accept or reject the suggestion first, then review.</source>
        <translation>请先接受或拒绝当前建议，再开始审阅。</translation>
    </message>
    <message>
        <source>What should the passage be about? (a topic, keywords or an outline)</source>
        <translation>这段文字要写什么？（主题、关键词或提纲）</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>The interface language changes the next time Inkwell starts.</source>
        <translation>界面语言将在下次启动 Inkwell 时更改。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {0}.</source>
        <translation>无法保存设置：{0}。</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>The new model was not loaded: {0} Still using {1}.</source>
        <translation>新模型未能加载：{0} 仍在使用 {1}。</translation>
    </message>
    <message>
        <source>Preferences…</source>
        <translation>首选项…</translation>
    </message>
    <message>
        <source>{0:.0f}M parameters, context {1:,} tokens. Device: {2}.</source>
        <translation>{0:.0f}M 参数，上下文 {1:,} 个词元。设备：{2}。</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>Unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Use the bundled model</source>
        <translation>使用内置模型</translation>
    </message>
    <message>
        <source>No model is loaded: {0}</source>
        <translation>未加载模型：{0}</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Wording to reconsider: {0} (underlined; right-click for alternatives)</source>
        <translation>值得斟酌的措辞：{0}（已加下划线；右键单击查看替代说法）</translation>
    </message>
    <message>
        <source>Done · {0} tokens · {1:.1f} tok/s</source>
        <translation>完成 · {0} 个词元 · {1:.1f} 词元/秒</translation>
    </message>
    <message>
        <source>Done · 1 correction</source>
        <translation>完成 · 1 处更正</translation>
    </message>
    <message>
        <source>Done · {0} corrections</source>
        <translation>完成 · {0} 处更正</translation>
    </message>
    <message>
        <source>Done · no mistakes found</source>
        <translation>完成 · 未发现错误</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>{0} the selection into:</source>
        <translation>将所选文字{0}为：</translation>
    </message>
    <message>
        <source>{0}[*] — Inkwell</source>
        <translation>{0}[*] — Inkwell</translation>
    </message>
    <message>
        <source>Reopen with Encoding… needs a file that is saved on disk.</source>
        <translation>“以其他编码重新打开…”只适用于已保存到磁盘的文件。</translation>
    </message>
    <message>
        <source>Reopen with Encoding</source>
        <translation>以其他编码重新打开</translation>
    </message>
    <message>
        <source>Read the file as:</source>
        <translation>按以下编码读取文件：</translation>
    </message>
    <message>
        <source>Save with Encoding</source>
        <translation>以其他编码保存</translation>
    </message>
    <message>
        <source>Save the file as:</source>
        <translation>按以下编码保存文件：</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>Text (*.txt *.md);;All files (*)</source>
        <translation>文本 (*.txt *.md);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>{0} has unsaved changes. Save them first?</source>
        <translation>{0} 有未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <source> Your unsaved changes are kept unless you reload.</source>
        <translation>除非重新加载，否则你未保存的更改会保留。</translation>
    </message>
    <message>
        <source>{0} was changed by another program.{1}</source>
        <translation>{0} 已被其他程序修改。{1}</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的版本</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Switching model…</source>
        <translation>正在切换模型…</translation>
    </message>
    <message>
        <source>The model could not be loaded: {0}: {1}</source>
        <translation>无法加载模型：{0}：{1}</translation>
    </message>
</context>
<context>
    <name>NewOperationDialog</name>
    <message>
        <source>New operation</source>
        <translation>新建操作</translation>
    </message>
    <message>
        <source>poem (also its name on the command line)</source>
        <translation>poem（也是它在命令行中的名称）</translation>
    </message>
    <message>
        <source>Make it a poem (shown in the menus)</source>
        <translation>改写成诗（显示在菜单中）</translation>
    </message>
    <message>
        <source>The answer replaces the selection</source>
        <translation>结果替换所选文字</translation>
    </message>
    <message>
        <source>Placeholders: {text} the selection (required), {before} and {after} the text around it, {language} asks for a language.</source>
        <translation>占位符：{text} 为所选文字（必需），{before} 和 {after} 为其前后的文字，{language} 会询问目标语言。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>{0} is already used by another action.</source>
        <translation>{0} 已被另一个操作占用。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
</context>
<context>
    <name>PromptEditor</name>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Reset to default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>New operation…</source>
        <translation>新建操作…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Style for the preview:</source>
        <translation>预览使用的风格：</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Placeholders: {text} the selection · {before} / {after} the text around it · {style} · {language} · {instruction}</source>
        <translation>占位符：{text} 所选文字 · {before} / {after} 其前后的文字 · {style} · {language} · {instruction}</translation>
    </message>
    <message>
        <source>Preview: the prompt the model receives for your selection</source>
        <translation>预览：模型针对所选文字实际收到的提示词</translation>
    </message>
    <message>
        <source>System prompt (all operations)</source>
        <translation>系统提示词（所有操作）</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>(as Rewrite: clearer)</source>
        <translation>（按“改写：更清晰”）</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <source>The preview failed: {0}: {1}</source>
        <translation>预览失败：{0}：{1}</translation>
    </message>
    <message>
        <source>{0:,} characters, exactly as the model receives them.</source>
        <translation>{0:,} 个字符，与模型收到的内容完全一致。</translation>
    </message>
    <message>
        <source>{0:,} characters, as a server receives them. A model on this computer gets no prompt for this operation: it judges small edits (spelling, confusable words, doubled words, articles) and never writes the text itself.</source>
        <translation>{0:,} 个字符，这是服务器收到的内容。本机模型执行此操作时不使用提示词：它只判断细小的修改（拼写、易混词、重复词、冠词），从不自行改写文字。</translation>
    </message>
    <message>
        <source>Could not save the prompts: {0}.</source>
        <translation>无法保存提示词：{0}。</translation>
    </message>
    <message>
        <source>New operation</source>
        <translation>新建操作</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>{0} s ago</source>
        <translation>{0} 秒前</translation>
    </message>
    <message>
        <source>{0} min ago</source>
        <translation>{0} 分钟前</translation>
    </message>
    <message>
        <source>{0} h ago</source>
        <translation>{0} 小时前</translation>
    </message>
    <message>
        <source>{0} — last autosaved {1} ({2}), {3:,} words</source>
        <translation>{0} — 最后自动保存于 {1}（{2}），{3:,} 字</translation>
    </message>
    <message>
        <source>Recover documents</source>
        <translation>恢复文档</translation>
    </message>
    <message>
        <source>Inkwell did not close properly last time. These documents had changes that were not saved; restore one to keep working on it.</source>
        <translation>Inkwell 上次没有正常关闭。以下文档有尚未保存的更改；恢复其中一个即可继续编辑。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <source>A review is open: accept or reject its suggestions first.</source>
        <translation>审阅尚未结束：请先接受或拒绝其中的建议。</translation>
    </message>
    <message>
        <source>{0} does not rewrite text in place, so it cannot review.</source>
        <translation>“{0}”不会原地改写文字，因此不能用于审阅。</translation>
    </message>
    <message>
        <source>There is no paragraph to review here.</source>
        <translation>这里没有可审阅的段落。</translation>
    </message>
    <message>
        <source>The review stopped: {0}: {1}</source>
        <translation>审阅已停止：{0}：{1}</translation>
    </message>
    <message>
        <source>Review stopped · {0} suggestion in {1} paragraphs</source>
        <translation>审阅已停止 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <source>Review stopped · {0} suggestions in {1} paragraphs</source>
        <translation>审阅已停止 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <source>Review done · {0} suggestion in {1} paragraphs</source>
        <translation>审阅完成 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <source>Review done · {0} suggestions in {1} paragraphs</source>
        <translation>审阅完成 · {1} 个段落中有 {0} 条建议</translation>
    </message>
    <message>
        <source> · {0} edited, skipped</source>
        <translation> · {0} 段已被修改，已跳过</translation>
    </message>
    <message>
        <source> · {0} failed</source>
        <translation> · {0} 段失败</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>No review yet.</source>
        <translation>尚无审阅。</translation>
    </message>
    <message>
        <source>Pick a suggestion to see its changes.</source>
        <translation>选择一条建议以查看其更改。</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一条</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一条 ▶</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>全部接受</translation>
    </message>
    <message>
        <source>Reject all</source>
        <translation>全部拒绝</translation>
    </message>
    <message>
        <source>Stop review</source>
        <translation>停止审阅</translation>
    </message>
    <message>
        <source>{0} · paragraph {1} of {2}</source>
        <translation>{0} · 第 {1} 段，共 {2} 段</translation>
    </message>
    <message>
        <source>¶ {0} · edited, skipped · {1}</source>
        <translation>¶ {0} · 已被修改，已跳过 · {1}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Bundled model (SmolLM2-135M-Instruct)</source>
        <translation>内置模型（SmolLM2-135M-Instruct）</translation>
    </message>
    <message>
        <source>Local model folder</source>
        <translation>本地模型文件夹</translation>
    </message>
    <message>
        <source>Local GGUF file</source>
        <translation>本地 GGUF 文件</translation>
    </message>
    <message>
        <source>Hugging Face model id</source>
        <translation>Hugging Face 模型 ID</translation>
    </message>
    <message>
        <source>OpenAI-compatible server (vLLM, llama.cpp, Ollama)</source>
        <translation>OpenAI 兼容服务器（vLLM、llama.cpp、Ollama）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Apple GPU (MPS)</source>
        <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
        <source>Fast (4-bit on the CPU)</source>
        <translation>快速（CPU 上 4 位量化）</translation>
    </message>
    <message>
        <source>Exact (float32)</source>
        <translation>精确（float32）</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>The system&apos;s (from its language)</source>
        <translation>系统默认（按系统语言）</translation>
    </message>
    <message>
        <source>In use: {0} on {1}.</source>
        <translation>正在使用：{0}，运行于 {1}。</translation>
    </message>
    <message>
        <source>In use: {0} on {1} ({2})</source>
        <translation>正在使用：{0}，运行于 {1}（{2}）</translation>
    </message>
    <message>
        <source>weights {0:,.0f} MB</source>
        <translation>权重 {0:,.0f} MB</translation>
    </message>
    <message>
        <source>Inkwell now uses {0:,.0f} MB in all</source>
        <translation>Inkwell 目前共占用 {0:,.0f} MB</translation>
    </message>
    <message>
        <source>context {0:,} tokens</source>
        <translation>上下文 {0:,} 个词元</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>Choose a model folder or a .gguf file</source>
        <translation>选择模型文件夹或 .gguf 文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Choose one of the recommended models…</source>
        <translation>选择一个推荐的模型…</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>e.g. HuggingFaceTB/SmolLM2-360M-Instruct</source>
        <translation>例如 HuggingFaceTB/SmolLM2-360M-Instruct</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Inkwell only goes online when you press this.</source>
        <translation>只有按下此按钮时 Inkwell 才会联网。</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Model id</source>
        <translation>模型 ID</translation>
    </message>
    <message>
        <source>http://127.0.0.1:8000 (…/v1 is added when missing)</source>
        <translation>http://127.0.0.1:8000（缺少时会自动补上 …/v1）</translation>
    </message>
    <message>
        <source>the first model the server lists</source>
        <translation>服务器列出的第一个模型</translation>
    </message>
    <message>
        <source>name of an environment variable, e.g. OPENAI_API_KEY</source>
        <translation>环境变量的名称，例如 OPENAI_API_KEY</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>Server model</source>
        <translation>服务器模型</translation>
    </message>
    <message>
        <source>API key variable</source>
        <translation>API 密钥变量</translation>
    </message>
    <message>
        <source>First-byte timeout</source>
        <translation>首字节超时</translation>
    </message>
    <message>
        <source>The model&apos;s own</source>
        <translation>模型自身的</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Precision on the CPU</source>
        <translation>CPU 上的精度</translation>
    </message>
    <message>
        <source>Data type</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Context size</source>
        <translation>上下文大小</translation>
    </message>
    <message>
        <source>Before loading</source>
        <translation>加载前</translation>
    </message>
    <message>
        <source>After loading</source>
        <translation>加载后</translation>
    </message>
    <message>
        <source>Each operation&apos;s own</source>
        <translation>按各操作的设定</translation>
    </message>
    <message>
        <source>0 (greedy: the same answer every time)</source>
        <translation>0（贪心：每次结果相同）</translation>
    </message>
    <message>
        <source>How many answers Alt+] and Alt+[ cycle through; each must keep every fact</source>
        <translation>Alt+] 和 Alt+[ 循环切换的答案数量；每个答案都必须保留所有事实</translation>
    </message>
    <message>
        <source>Longest answer</source>
        <translation>最长回答</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Alternatives of a rewrite</source>
        <translation>改写的备选数量</translation>
    </message>
    <message>
        <source>Top-p only matters when the temperature is above 0.</source>
        <translation>只有温度大于 0 时 Top-p 才起作用。</translation>
    </message>
    <message>
        <source>Use the system font</source>
        <translation>使用系统字体</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Autosave also runs 2 s after you stop typing; this is the longest wait.</source>
        <translation>停止输入 2 秒后也会自动保存；这是最长的间隔。</translation>
    </message>
    <message>
        <source>Underline unknown words as I type</source>
        <translation>输入时为未知单词加下划线</translation>
    </message>
    <message>
        <source>The dictionary for underlines and for Proofread&apos;s candidates.</source>
        <translation>用于下划线提示和校对候选的词典。</translation>
    </message>
    <message>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Autosave at least every</source>
        <translation>自动保存间隔最长为</translation>
    </message>
    <message>
        <source>Spelling</source>
        <translation>拼写</translation>
    </message>
    <message>
        <source>Dictionary</source>
        <translation>词典</translation>
    </message>
    <message>
        <source>Applies the next time Inkwell starts.</source>
        <translation>下次启动 Inkwell 时生效。</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Used for old files whose encoding cannot be told from their bytes alone.</source>
        <translation>用于无法仅凭内容判断编码的旧文件。</translation>
    </message>
    <message>
        <source>Older files&apos; encoding</source>
        <translation>旧文件的编码</translation>
    </message>
    <message>
        <source>Choose the model&apos;s folder or file first.</source>
        <translation>请先选择模型文件夹或文件。</translation>
    </message>
    <message>
        <source>Type the model&apos;s id first, e.g. HuggingFaceTB/SmolLM2-360M-Instruct.</source>
        <translation>请先输入模型 ID，例如 HuggingFaceTB/SmolLM2-360M-Instruct。</translation>
    </message>
    <message>
        <source>Type the server&apos;s URL first.</source>
        <translation>请先输入服务器 URL。</translation>
    </message>
    <message>
        <source>A folder with config.json and weights</source>
        <translation>包含 config.json 和权重的文件夹</translation>
    </message>
    <message>
        <source>A .gguf file</source>
        <translation>.gguf 文件</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Choose a GGUF file</source>
        <translation>选择 GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The model runs on the server; its memory is the server&apos;s.</source>
        <translation>模型运行在服务器上，占用的是服务器的内存。</translation>
    </message>
    <message>
        <source>Checking the model&apos;s size…</source>
        <translation>正在检查模型大小…</translation>
    </message>
    <message>
        <source>Its size could not be read: {0}.</source>
        <translation>无法读取其大小：{0}。</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Downloading {0}…</source>
        <translation>正在下载 {0}…</translation>
    </message>
    <message>
        <source>The download failed: {0}: {1}</source>
        <translation>下载失败：{0}：{1}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{0:,.1f} of {1:,.1f} MB</source>
        <translation>{0:,.1f} / {1:,.1f} MB</translation>
    </message>
    <message>
        <source>Downloaded. Press Apply or OK to load it.</source>
        <translation>下载完成。按“应用”或“确定”即可加载。</translation>
    </message>
</context>
<context>
    <name>SpellChecker</name>
    <message>
        <source>No suggestions</source>
        <translation>没有建议</translation>
    </message>
    <message>
        <source>Add “{0}” to dictionary</source>
        <translation>将“{0}”添加到词典</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>{0:,} words · {1:,} lines</source>
        <translation>{0:,} 字 · {1:,} 行</translation>
    </message>
    <message>
        <source>Context {0}{1:,} / {2:,}</source>
        <translation>上下文 {0}{1:,} / {2:,}</translation>
    </message>
    <message>
        <source>{0} would send {1}{2:,} tokens (your selection plus the prompt); the model&apos;s context window is {3:,} tokens.</source>
        <translation>{0}将发送 {1}{2:,} 个词元（所选文字加提示词）；模型的上下文窗口为 {3:,} 个词元。</translation>
    </message>
    <message>
        <source> That is too long: select a shorter passage.</source>
        <translation>内容太长：请选择较短的段落。</translation>
    </message>
    <message>
        <source>Context {0}{1:,} tokens</source>
        <translation>上下文 {0}{1:,} 个词元</translation>
    </message>
    <message>
        <source>{0} would send {1}{2:,} tokens; the server&apos;s context window is not known here.</source>
        <translation>{0}将发送 {1}{2:,} 个词元；此处无法得知服务器的上下文窗口。</translation>
    </message>
    <message>
        <source> · about {0:.0f} s left</source>
        <translation> · 约剩 {0:.0f} 秒</translation>
    </message>
    <message>
        <source>{0}… ({1} of {2}){3}</source>
        <translation>{0}…（第 {1} 步，共 {2} 步）{3}</translation>
    </message>
    <message>
        <source>step {0} of {1}, {2}</source>
        <translation>第 {0} 步，共 {1} 步：{2}</translation>
    </message>
    <message>
        <source>Loading the model: {0}.</source>
        <translation>正在加载模型：{0}。</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Accept the suggestion (Tab or Enter)</source>
        <translation>接受建议（Tab 或回车）</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Reject the suggestion (Esc)</source>
        <translation>拒绝建议（Esc）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop generating (Esc)</source>
        <translation>停止生成（Esc）</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Generate another suggestion</source>
        <translation>生成另一条建议</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Show the changes word by word</source>
        <translation>逐词显示更改</translation>
    </message>
    <message>
        <source>Alt+] and Alt+[ switch between the alternatives</source>
        <translation>Alt+] 和 Alt+[ 在备选之间切换</translation>
    </message>
    <message>
        <source>Point at a sentence to see where in your text it comes from</source>
        <translation>指向一个句子，查看它出自原文的哪里</translation>
    </message>
    <message>
        <source>· finding alternatives…</source>
        <translation>· 正在寻找备选…</translation>
    </message>
    <message>
        <source>· {0} of {1}</source>
        <translation>· 第 {0} 个，共 {1} 个</translation>
    </message>
    <message>
        <source>Sources of sentence:</source>
        <translation>句子出处：</translation>
    </message>
</context>
<context>
    <name>SuggestionController</name>
    <message>
        <source>Select the text to {0} first.</source>
        <translation>请先选中要{0}的文字。</translation>
    </message>
    <message>
        <source>Select the text for {0} first.</source>
        <translation>请先选中要用于“{0}”的文字。</translation>
    </message>
    <message>
        <source>Write something first: {0} carries on from the text before the cursor.</source>
        <translation>请先写点内容：{0}会接着光标前的文字继续。</translation>
    </message>
    <message>
        <source>Give {0} a topic, some keywords or an outline first.</source>
        <translation>请先为{0}提供主题、关键词或提纲。</translation>
    </message>
    <message>
        <source>{0} reads the {1:,} characters before the cursor; the {2:,} before those are left out.</source>
        <translation>{0}会读取光标前的 {1:,} 个字符；更前面的 {2:,} 个字符不会读取。</translation>
    </message>
    <message>
        <source>There is no answer to insert yet.</source>
        <translation>还没有可插入的回答。</translation>
    </message>
    <message>
        <source>Summarizing: {0}</source>
        <translation>正在摘要：{0}</translation>
    </message>
    <message>
        <source>Generation failed: {0}: {1}</source>
        <translation>生成失败：{0}：{1}</translation>
    </message>
    <message>
        <source>The model produced no text for this. Try again or rephrase it.</source>
        <translation>模型没有生成任何文字。请重试或换个说法。</translation>
    </message>
    <message>
        <source>The suggestion was cut off: {0}</source>
        <translation>建议被截断：{0}</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在书写…</translation>
    </message>
    <message>
        <source>Cut off</source>
        <translation>已截断</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>No change needed</source>
        <translation>无需修改</translation>
    </message>
    <message>
        <source>{0} unsure words: click one</source>
        <translation>{0} 个不确定的词：点击其中一个</translation>
    </message>
    <message>
        <source>1 unsure word: click it</source>
        <translation>1 个不确定的词：点击它</translation>
    </message>
    <message>
        <source>Nothing to accept yet: the suggestion has no text.</source>
        <translation>还没有可接受的内容：建议中还没有文字。</translation>
    </message>
    <message>
        <source>Alternatives are offered for a finished rewrite.</source>
        <translation>备选只针对已完成的改写提供。</translation>
    </message>
    <message>
        <source>Finding alternatives failed: {0}: {1}</source>
        <translation>寻找备选失败：{0}：{1}</translation>
    </message>
    <message>
        <source>No alternatives were found.</source>
        <translation>没有找到备选。</translation>
    </message>
    <message>
        <source>No other answer kept every fact in its place: this one is the only clean one.</source>
        <translation>没有其他答案把每个事实都保留在原处：这是唯一可靠的一个。</translation>
    </message>
    <message>
        <source>“{0}”: {1:.0%} sure</source>
        <translation>“{0}”：把握 {1:.0%}</translation>
    </message>
    <message>
        <source>{0}  ({1:.0%})</source>
        <translation>{0}  （{1:.0%}）</translation>
    </message>
    <message>
        <source>No other likely word</source>
        <translation>没有其他可能的词</translation>
    </message>
    <message>
        <source>drops: {0}</source>
        <translation>遗漏：{0}</translation>
    </message>
    <message>
        <source>The text under the suggestion changed, so the suggestion was withdrawn.</source>
        <translation>建议所在位置的文字已被修改，因此撤回了该建议。</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Reopen with E&amp;ncoding…</source>
        <translation>以其他编码重新打开(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save with &amp;Encoding…</source>
        <translation>以其他编码保存(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation>首选项(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Assistant</source>
        <translation>助手(&amp;A)</translation>
    </message>
    <message>
        <source>Ask your &amp;draft…</source>
        <translation>询问文稿(&amp;D)…</translation>
    </message>
    <message>
        <source>Suggestion &amp;history</source>
        <translation>建议历史(&amp;H)</translation>
    </message>
    <message>
        <source>Next alternative</source>
        <translation>下一个备选</translation>
    </message>
    <message>
        <source>Previous alternative</source>
        <translation>上一个备选</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>{0} to {1}</source>
        <translation>{0}为{1}</translation>
    </message>
    <message>
        <source>Ask (&amp;custom instruction)…</source>
        <translation>提问（自定义指令）(&amp;C)…</translation>
    </message>
    <message>
        <source>Re&amp;view document…</source>
        <translation>审阅文档(&amp;V)…</translation>
    </message>
    <message>
        <source>Next review suggestion</source>
        <translation>下一条审阅建议</translation>
    </message>
    <message>
        <source>Previous review suggestion</source>
        <translation>上一条审阅建议</translation>
    </message>
    <message>
        <source>&amp;My operations</source>
        <translation>我的操作(&amp;M)</translation>
    </message>
    <message>
        <source>Edit &amp;prompts and operations…</source>
        <translation>编辑提示词和操作(&amp;P)…</translation>
    </message>
    <message>
        <source>Accept suggestion	Tab</source>
        <translation>接受建议	Tab</translation>
    </message>
    <message>
        <source>Reject suggestion	Esc</source>
        <translation>拒绝建议	Esc</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Show changes</source>
        <translation>显示更改</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>The log holds no document text, no paths and no keys.</source>
        <translation>日志中不含文档内容、路径或密钥。</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Ask…</source>
        <translation>提问…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>{0} to…</source>
        <translation>{0}为…</translation>
    </message>
    <message>
        <source>Your operation {0!r}</source>
        <translation>你的操作 {0!r}</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
</context>
<context>
    <name>WordingMarks</name>
    <message>
        <source>“{0}”: {1}</source>
        <translation>“{0}”：{1}</translation>
    </message>
    <message>
        <source>Write “{0}”</source>
        <translation>改为“{0}”</translation>
    </message>
</context>
</TS>
