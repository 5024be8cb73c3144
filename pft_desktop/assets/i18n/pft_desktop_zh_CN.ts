<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BaseVsTuned</name>
    <message>
        <source>Base: {model}</source>
        <translation>基础模型：{model}</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Built from scratch: there is no base model.</source>
        <translation>从零构建：没有基础模型。</translation>
    </message>
    <message>
        <source>{model} is not on this computer (nor in the Hugging Face cache).</source>
        <translation>{model} 不在这台电脑上（也不在 Hugging Face 缓存中）。</translation>
    </message>
    <message>
        <source>The base model has no {task} head yet: before fine-tuning it cannot answer for this task.</source>
        <translation>基础模型还没有{task}头：微调之前无法完成此任务。</translation>
    </message>
    <message>
        <source>Still training: ask again when it has ended.</source>
        <translation>仍在训练：结束后再试。</translation>
    </message>
    <message>
        <source>This run saved no model.</source>
        <translation>此运行没有保存模型。</translation>
    </message>
    <message>
        <source>Base against tuned: the same text, every model&apos;s answer</source>
        <translation>基础模型与微调模型对比：同一段文本，各模型的回答</translation>
    </message>
    <message>
        <source>Type a text once and press Enter; each model answers (they load in the background the first time)</source>
        <translation>输入一段文本并按回车，每个模型都会回答（首次使用时在后台加载）</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Waiting for a text.</source>
        <translation>等待输入文本。</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Loading the model; the answer follows…</source>
        <translation>正在加载模型，稍后给出回答…</translation>
    </message>
    <message>
        <source>The model could not be loaded: {reason}</source>
        <translation>无法加载模型：{reason}</translation>
    </message>
</context>
<context>
    <name>ChangesSinceStart</name>
    <message>
        <source>Changed since this run started:</source>
        <translation>此运行开始后有变化：</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>{count:,} others</source>
        <translation>其他 {count:,} 项</translation>
    </message>
    <message>
        <source>max length</source>
        <translation>最大长度</translation>
    </message>
</context>
<context>
    <name>ChatBox</name>
    <message>
        <source>Chat with the model</source>
        <translation>与模型对话</translation>
    </message>
    <message>
        <source>the tuned model</source>
        <translation>微调后的模型</translation>
    </message>
    <message>
        <source>Say something to the model.</source>
        <translation>对模型说点什么吧。</translation>
    </message>
    <message>
        <source>The model loads in the background when this page opens.</source>
        <translation>打开此页面时会在后台加载模型。</translation>
    </message>
    <message>
        <source>0 (greedy)</source>
        <translation>0（贪心）</translation>
    </message>
    <message>
        <source>0 takes the likeliest token every time (the same reply each time); higher values give more varied replies.</source>
        <translation>0 表示每次都取概率最高的词元（每次回复相同）；数值越高，回复越多样。</translation>
    </message>
    <message>
        <source>Sample only from the likeliest tokens that together hold this share of the probability (with a temperature above 0).</source>
        <translation>只从累计概率达到此比例的最可能词元中采样（温度需大于 0）。</translation>
    </message>
    <message>
        <source>The longest reply, in tokens.</source>
        <translation>回复的最大长度（词元数）。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The reply ends before any of these texts; separate them with commas, \n stands for a new line. It also ends at the chat template&apos;s end of turn.</source>
        <translation>回复在出现这些文本之前结束；用逗号分隔，\n 表示换行。遇到对话模板的回合结束标记时也会结束。</translation>
    </message>
    <message>
        <source>Compare with base model</source>
        <translation>与基础模型对比</translation>
    </message>
    <message>
        <source>The base model answers the same messages beside the tuned one (loaded when first asked, unless the run is a LoRA adapter: then it is the same model with the adapter off).</source>
        <translation>基础模型在微调模型旁边回答同样的消息（首次提问时加载；若此运行是 LoRA 适配器，则是关闭适配器后的同一个模型）。</translation>
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
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Stop at</source>
        <translation>停止于</translation>
    </message>
    <message>
        <source>Write a message and press Enter</source>
        <translation>输入消息并按回车</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>The model stopped before replying.</source>
        <translation>模型在回复前已停止。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tuned:&lt;/b&gt; {model}</source>
        <translation>&lt;b&gt;微调后：&lt;/b&gt;{model}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Base model:&lt;/b&gt; {model}</source>
        <translation>&lt;b&gt;基础模型：&lt;/b&gt;{model}</translation>
    </message>
    <message>
        <source>the model it started from</source>
        <translation>训练起点的模型</translation>
    </message>
    <message>
        <source>System prompt: {prompt}</source>
        <translation>系统提示词：{prompt}</translation>
    </message>
    <message>
        <source>Earlier replies in this chat are the tuned model&apos;s.</source>
        <translation>此对话中之前的回复来自微调后的模型。</translation>
    </message>
    <message>
        <source>The base model answers your next message here.</source>
        <translation>基础模型会在这里回答你的下一条消息。</translation>
    </message>
</context>
<context>
    <name>ChatTranscript</name>
    <message>
        <source>end of turn</source>
        <translation>回合结束</translation>
    </message>
    <message>
        <source>token limit reached</source>
        <translation>达到词元上限</translation>
    </message>
    <message>
        <source>stop string</source>
        <translation>停止字符串</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 个词元</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>(an empty reply)</source>
        <translation>（空回复）</translation>
    </message>
</context>
<context>
    <name>ChildProcess</name>
    <message>
        <source>The helper process could not start.</source>
        <translation>辅助进程无法启动。</translation>
    </message>
    <message>
        <source>Reinstall pft-desktop.</source>
        <translation>请重新安装 pft-desktop。</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Training time</source>
        <translation>训练时间</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>training time (s)</source>
        <translation>训练时间（秒）</translation>
    </message>
    <message>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>The selected runs side by side: curves, final metrics, and what was different.</source>
        <translation>并排查看所选运行：曲线、最终指标以及不同之处。</translation>
    </message>
    <message>
        <source>← All runs</source>
        <translation>← 所有运行</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>against</source>
        <translation>横轴</translation>
    </message>
    <message>
        <source>Final metrics</source>
        <translation>最终指标</translation>
    </message>
    <message>
        <source>Settings that differ</source>
        <translation>不同的设置</translation>
    </message>
    <message>
        <source>No {curve} recorded for: {runs}</source>
        <translation>以下运行没有记录{curve}：{runs}</translation>
    </message>
    <message>
        <source>{metric} (eval)</source>
        <translation>{metric}（验证）</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>No run has final metrics yet.</source>
        <translation>还没有运行产生最终指标。</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>The runs have the same settings.</source>
        <translation>这些运行的设置相同。</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Data files (*.csv *.tsv *.tab *.txt *.jsonl *.json *.parquet *.xlsx *.gz *.conll *.iob *.iob2 *.bio *.bioes *.ner);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.tab *.txt *.jsonl *.json *.parquet *.xlsx *.gz *.conll *.iob *.iob2 *.bio *.bioes *.ner);;所有文件 (*)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <source>pipe</source>
        <translation>竖线</translation>
    </message>
    <message>
        <source>{file} could not be read ({error}).</source>
        <translation>无法读取 {file}（{error}）。</translation>
    </message>
    <message>
        <source>Check the file&apos;s format.</source>
        <translation>请检查文件格式。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Open your data (a table, or the files the task reads), tell pft-desktop which columns hold what, and check the report before training.</source>
        <translation>打开数据（表格，或任务读取的文件），告诉 pft-desktop 各列的含义，并在训练前查看数据报告。</translation>
    </message>
    <message>
        <source>Drop a data file here, or browse…</source>
        <translation>将数据文件拖到这里，或点击浏览…</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Optional separate validation file</source>
        <translation>可选：单独的验证文件</translation>
    </message>
    <message>
        <source>Validation file</source>
        <translation>验证文件</translation>
    </message>
    <message>
        <source>Held-out share</source>
        <translation>留出比例</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>First row is a header</source>
        <translation>首行为表头</translation>
    </message>
    <message>
        <source>Whether the first row holds the column names. Turn it on or off when the preview shows names as data, or data as names.</source>
        <translation>首行是否为列名。如果预览把列名当成了数据，或把数据当成了列名，请切换此项。</translation>
    </message>
    <message>
        <source>The character between fields.</source>
        <translation>字段之间的分隔字符。</translation>
    </message>
    <message>
        <source>How the file&apos;s bytes map to letters; pick another when accented letters look wrong.</source>
        <translation>文件字节与字符的对应方式；如果带重音的字母显示不正确，请换一种编码。</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>First row is a header (detected)</source>
        <translation>首行为表头（自动检测）</translation>
    </message>
    <message>
        <source>detected: {value}</source>
        <translation>检测到：{value}</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>{rows:,} rows · {columns} columns · {format}</source>
        <translation>{rows:,} 行 · {columns} 列 · {format}</translation>
    </message>
    <message>
        <source> · no header row (columns were named column_1, column_2, …)</source>
        <translation> · 无表头行（列名为 column_1、column_2 …）</translation>
    </message>
    <message>
        <source> · ignored empty columns: {columns}</source>
        <translation> · 已忽略空列：{columns}</translation>
    </message>
    <message>
        <source>{column} (optional)</source>
        <translation>{column}（可选）</translation>
    </message>
    <message>
        <source>Checking the data with the model&apos;s tokenizer…</source>
        <translation>正在用模型的分词器检查数据…</translation>
    </message>
    <message>
        <source> · sample</source>
        <translation> · 抽样</translation>
    </message>
    <message>
        <source>Choose a data file.</source>
        <translation>请选择数据文件。</translation>
    </message>
    <message>
        <source>Reading the data file…</source>
        <translation>正在读取数据文件…</translation>
    </message>
    <message>
        <source>Choose the {column} column.</source>
        <translation>请选择“{column}”列。</translation>
    </message>
    <message>
        <source>Checking the data…</source>
        <translation>正在检查数据…</translation>
    </message>
    <message>
        <source>The data has not been checked yet.</source>
        <translation>数据尚未检查。</translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message>
        <source>pft-desktop</source>
        <translation>pft-desktop</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
    <message>
        <source>Copy the report as JSON (the same as `pft-desktop doctor --json`), for a bug report</source>
        <translation>以 JSON 格式复制报告（与 `pft-desktop doctor --json` 相同），用于提交问题报告</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Checking this machine (a few seconds; the 4-bit check runs bitsandbytes in a separate process)…</source>
        <translation>正在检查本机（需要几秒钟；4 位检查会在单独的进程中运行 bitsandbytes）…</translation>
    </message>
    <message>
        <source>The checks could not run: {reason}</source>
        <translation>无法运行检查：{reason}</translation>
    </message>
    <message>
        <source>Fix: {fix}</source>
        <translation>解决方法：{fix}</translation>
    </message>
    <message>
        <source>1 problem to fix</source>
        <translation>有 1 个问题需要解决</translation>
    </message>
    <message>
        <source>{count} problems to fix</source>
        <translation>有 {count} 个问题需要解决</translation>
    </message>
    <message>
        <source>No problems; 1 warning</source>
        <translation>没有问题；1 个警告</translation>
    </message>
    <message>
        <source>No problems; {count} warnings</source>
        <translation>没有问题；{count} 个警告</translation>
    </message>
    <message>
        <source>Everything checked is in order</source>
        <translation>所有检查项均正常</translation>
    </message>
    <message>
        <source>{summary}. pft-desktop {version}, checked {when}.</source>
        <translation>{summary}。pft-desktop {version}，检查于 {when}。</translation>
    </message>
    <message>
        <source>Report copied to the clipboard (JSON).</source>
        <translation>报告已复制到剪贴板（JSON）。</translation>
    </message>
</context>
<context>
    <name>Estimates</name>
    <message>
        <source>training memory</source>
        <translation>训练内存</translation>
    </message>
    <message>
        <source>memory per device ({processes} processes, {strategy})</source>
        <translation>每个设备的内存（{processes} 个进程，{strategy}）</translation>
    </message>
    <message>
        <source>Estimated {where} with {method}, batch {batch} and up to {tokens} tokens: about {total} (weights {weights}, optimizer and gradients {optimizer}, activations {activations}).</source>
        <translation>使用 {method}、批大小 {batch}、最多 {tokens} 个词元时，预计{where}约为 {total}（权重 {weights}，优化器和梯度 {optimizer}，激活 {activations}）。</translation>
    </message>
    <message>
        <source> That includes about {memory} for the training process itself (PyTorch and its libraries) when it runs on this CPU.</source>
        <translation> 其中包括训练进程本身（PyTorch 及其库）在本机 CPU 上运行时约占的 {memory}。</translation>
    </message>
    <message>
        <source> ⚠ That is close to or above this computer&apos;s {memory} of memory: lower the batch size or max length, or use LoRA/QLoRA.</source>
        <translation> ⚠ 这接近或超过了本机的 {memory} 内存：请减小批大小或最大长度，或使用 LoRA/QLoRA。</translation>
    </message>
    <message>
        <source>Global batch {rows} rows per step: batch {batch} × gradient accumulation {accumulation} × {processes} processes.</source>
        <translation>全局批大小为每步 {rows} 行：批大小 {batch} × 梯度累积 {accumulation} × {processes} 个进程。</translation>
    </message>
    <message>
        <source>About {steps} steps; roughly {time} at {each:.2f} s a step, {where}. The Train page shows the real ETA.</source>
        <translation>约 {steps} 步；按每步 {each:.2f} 秒计大约需要 {time}（{where}）。训练页面会显示实际的剩余时间。</translation>
    </message>
    <message>
        <source>{minutes:.0f} min</source>
        <translation>{minutes:.0f} 分钟</translation>
    </message>
    <message>
        <source>{seconds:.0f} s</source>
        <translation>{seconds:.0f} 秒</translation>
    </message>
    <message>
        <source>About {steps} steps; roughly {time} at {each:.2f} s a step, measured {where}. The Train page shows the real ETA.</source>
        <translation>约 {steps} 步；按每步 {each:.2f} 秒计大约需要 {time}（{where}测得）。训练页面会显示实际的剩余时间。</translation>
    </message>
    <message>
        <source>About {steps} steps; roughly {time} on a CPU like this one (a GPU is usually 10–100× faster). The Train page shows the real ETA.</source>
        <translation>约 {steps} 步；在这样的 CPU 上大约需要 {time}（GPU 通常快 10–100 倍）。训练页面会显示实际的剩余时间。</translation>
    </message>
    <message>
        <source> Measured peak {memory}, {where}.</source>
        <translation> 实测峰值 {memory}（{where}）。</translation>
    </message>
</context>
<context>
    <name>HubUploadDialog</name>
    <message>
        <source>Upload to the Hugging Face Hub</source>
        <translation>上传到 Hugging Face Hub</translation>
    </message>
    <message>
        <source>your-user-name/model-name</source>
        <translation>你的用户名/模型名</translation>
    </message>
    <message>
        <source>Repository id</source>
        <translation>仓库 ID</translation>
    </message>
    <message>
        <source>Private (only you and your organisation can see it)</source>
        <translation>私有（只有你和你的组织可以看到）</translation>
    </message>
    <message>
        <source>What to upload</source>
        <translation>上传内容</translation>
    </message>
    <message>
        <source>Merged model (loads with plain transformers)</source>
        <translation>合并后的模型（可直接用 transformers 加载）</translation>
    </message>
    <message>
        <source>LoRA adapter only (a few MB; needs the base model)</source>
        <translation>仅 LoRA 适配器（几 MB；需要基础模型）</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>empty: the token `hf auth login` stored</source>
        <translation>留空：使用 `hf auth login` 保存的令牌</translation>
    </message>
    <message>
        <source>A write token from https://huggingface.co/settings/tokens, used for this upload only and never saved.</source>
        <translation>来自 https://huggingface.co/settings/tokens 的写入令牌，只用于这次上传，不会保存。</translation>
    </message>
    <message>
        <source>Repository:</source>
        <translation>仓库：</translation>
    </message>
    <message>
        <source>Upload:</source>
        <translation>上传：</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>令牌：</translation>
    </message>
    <message>
        <source>The model card the export writes becomes the repository&apos;s README; pft_run.json (this machine&apos;s paths) is left out.</source>
        <translation>导出时写出的模型卡片会成为仓库的 README；pft_run.json（包含本机路径）不会上传。</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Starting the upload…</source>
        <translation>正在开始上传…</translation>
    </message>
    <message>
        <source>Uploaded: {link}</source>
        <translation>已上传：{link}</translation>
    </message>
    <message>
        <source>Upload failed: {reason}</source>
        <translation>上传失败：{reason}</translation>
    </message>
</context>
<context>
    <name>HyperparametersPage</name>
    <message>
        <source>Quick test</source>
        <translation>快速测试</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation>充分</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>超参数</translation>
    </message>
    <message>
        <source>Sensible defaults are filled in; hover over any field for what it does. Presets set the length of the run.</source>
        <translation>已填入合理的默认值；将鼠标悬停在任意字段上可查看说明。预设决定训练的时长。</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Presets set the length of the run; &apos;Custom&apos; means the values match no preset.</source>
        <translation>预设决定训练的时长；“自定义”表示当前值不符合任何预设。</translation>
    </message>
    <message>
        <source>Load config…</source>
        <translation>加载配置…</translation>
    </message>
    <message>
        <source>Save config…</source>
        <translation>保存配置…</translation>
    </message>
    <message>
        <source>Export cluster job…</source>
        <translation>导出集群作业…</translation>
    </message>
    <message>
        <source>Write these settings as a job for several machines: config.toml, an accelerate config, launch.sh for each machine and job.sbatch for Slurm, with a README. Each machine runs as many processes as &apos;Processes&apos; says.</source>
        <translation>将这些设置导出为多机作业：config.toml、accelerate 配置、每台机器的 launch.sh、用于 Slurm 的 job.sbatch，以及一份 README。每台机器运行“进程数”所指定数量的进程。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Pretraining</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>Preference</source>
        <translation>偏好</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>高级设置</translation>
    </message>
    <message>
        <source>A {size} {kind}: {layers} layers × {hidden} wide, {heads} heads, about {parameters} parameters with a {vocab:,}-token vocabulary.</source>
        <translation>一个{size}{kind}：{layers} 层 × {hidden} 宽，{heads} 个注意力头，约 {parameters} 个参数，词表 {vocab:,} 个词元。</translation>
    </message>
    <message>
        <source> One epoch is {steps:,} steps, roughly {minutes:.0f} min on a CPU like this one.</source>
        <translation> 一轮为 {steps:,} 步，在这样的 CPU 上大约需要 {minutes:.0f} 分钟。</translation>
    </message>
    <message>
        <source>Save run config</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <source>Run config (*.toml *.json)</source>
        <translation>运行配置 (*.toml *.json)</translation>
    </message>
    <message>
        <source>Export cluster job</source>
        <translation>导出集群作业</translation>
    </message>
    <message>
        <source>How many machines train together? Each runs {processes} process(es) (the Processes field).</source>
        <translation>有几台机器一起训练？每台运行 {processes} 个进程（“进程数”字段）。</translation>
    </message>
    <message>
        <source>Export cluster job into a new folder</source>
        <translation>将集群作业导出到新文件夹</translation>
    </message>
    <message>
        <source>Folder (*)</source>
        <translation>文件夹 (*)</translation>
    </message>
    <message>
        <source>Could not export the cluster job</source>
        <translation>无法导出集群作业</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>注意：{note}</translation>
    </message>
    <message>
        <source>Cluster job written</source>
        <translation>集群作业已写入</translation>
    </message>
    <message>
        <source>{job}

Start it with &apos;sbatch job.sbatch&apos; in that folder, or &apos;./launch.sh MACHINE_RANK MAIN_ADDRESS&apos; on each machine; its README.md says how, and how to bring the run back into the app.</source>
        <translation>{job}

在该文件夹中用 &apos;sbatch job.sbatch&apos; 启动，或在每台机器上运行 &apos;./launch.sh MACHINE_RANK MAIN_ADDRESS&apos;；其中的 README.md 说明了具体做法，以及如何把运行结果带回本应用。</translation>
    </message>
    <message>
        <source>Load run config</source>
        <translation>加载运行配置</translation>
    </message>
    <message>
        <source>Could not load the config</source>
        <translation>无法加载配置</translation>
    </message>
</context>
<context>
    <name>LearnedExample</name>
    <message>
        <source>One training example as the model reads it. &lt;span style=&apos;background-color:#d1fae5&apos;&gt;Highlighted&lt;/span&gt; tokens are learned (the loss is on them); grey ones are context.</source>
        <translation>模型读到的一个训练样本。&lt;span style=&apos;background-color:#d1fae5&apos;&gt;高亮&lt;/span&gt;的词元会被学习（损失计算在它们上面）；灰色的是上下文。</translation>
    </message>
</context>
<context>
    <name>LiveChart</name>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
</context>
<context>
    <name>LossChart</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>train (raw)</source>
        <translation>训练（原始）</translation>
    </message>
    <message>
        <source>eval</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Every run you have trained (Ctrl+R)</source>
        <translation>你训练过的所有运行 (Ctrl+R)</translation>
    </message>
    <message>
        <source>NEW RUN</source>
        <translation>新建运行</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open config…</source>
        <translation>打开配置(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save config…</source>
        <translation>保存配置(&amp;S)…</translation>
    </message>
    <message>
        <source>Open &amp;run folder…</source>
        <translation>打开运行文件夹(&amp;R)…</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>前往(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Start training</source>
        <translation>开始训练(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run &amp;library</source>
        <translation>运行库(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Refresh the list</source>
        <translation>刷新列表(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>诊断(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;About pft-desktop</source>
        <translation>关于 pft-desktop(&amp;A)</translation>
    </message>
    <message>
        <source>About pft-desktop</source>
        <translation>关于 pft-desktop</translation>
    </message>
    <message>
        <source>Fine-tune pretrained transformer models on your own machine.</source>
        <translation>在你自己的电脑上微调预训练的 Transformer 模型。</translation>
    </message>
    <message>
        <source>Cannot compare</source>
        <translation>无法比较</translation>
    </message>
    <message>
        <source>Cannot start from this run</source>
        <translation>无法从此运行开始</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>A run is still training. Keep it running in the background (the Runs page lists it next time; open it to follow it again), or stop it now? Stopping saves a checkpoint you can resume.</source>
        <translation>有一个运行仍在训练。要让它在后台继续运行（下次会列在“运行”页面中，打开即可继续跟踪），还是现在停止？停止时会保存一个可以恢复的检查点。</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Stop and save</source>
        <translation>停止并保存</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>A LoRA run takes under a minute on a laptop CPU.</source>
        <translation>在笔记本电脑的 CPU 上，一次 LoRA 训练不到一分钟。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Pick the pretrained model to adapt: a folder on this computer, a model already in your Hugging Face cache, or a model id to download.</source>
        <translation>选择要微调的预训练模型：本机上的文件夹、Hugging Face 缓存中已有的模型，或要下载的模型 ID。</translation>
    </message>
    <message>
        <source>&lt;b&gt;New here?&lt;/b&gt; Start with the bundled demo: the real all-MiniLM-L6-v2 model (22.7M parameters) and a sample of 600 product reviews.</source>
        <translation>&lt;b&gt;初次使用？&lt;/b&gt;从自带的示例开始：真实的 all-MiniLM-L6-v2 模型（2270 万参数）和 600 条商品评论样本。</translation>
    </message>
    <message>
        <source>{sentence} {next}</source>
        <translation>{sentence}{next}</translation>
    </message>
    <message>
        <source>Use the demo model and sample data</source>
        <translation>使用示例模型和样本数据</translation>
    </message>
    <message>
        <source>Install it with: {command}</source>
        <translation>安装命令：{command}</translation>
    </message>
    <message>
        <source>(The demo model package is not installed.)</source>
        <translation>（示例模型包未安装。）</translation>
    </message>
    <message>
        <source>&lt;b&gt;No pretrained model?&lt;/b&gt; Pretrain a new one from scratch on your own unlabeled text (a tokenizer is trained too), then fine-tune it.</source>
        <translation>&lt;b&gt;没有预训练模型？&lt;/b&gt;用你自己的无标注文本从零预训练一个新模型（同时训练分词器），然后再微调它。</translation>
    </message>
    <message>
        <source>Pretrain a new model…</source>
        <translation>预训练新模型…</translation>
    </message>
    <message>
        <source>A new decoder (from scratch)</source>
        <translation>新的解码器（从零开始）</translation>
    </message>
    <message>
        <source>A new encoder (from scratch)</source>
        <translation>新的编码器（从零开始）</translation>
    </message>
    <message>
        <source>Its tokenizer and size are set on the next pages; choose the unlabeled text on the Data page.</source>
        <translation>分词器和模型大小在后面的页面中设置；请在“数据”页面选择无标注文本。</translation>
    </message>
    <message>
        <source>Drop a model folder here, or browse…</source>
        <translation>将模型文件夹拖到这里，或点击浏览…</translation>
    </message>
    <message>
        <source>A folder saved with save_pretrained(): config.json, the weights and the tokenizer.</source>
        <translation>用 save_pretrained() 保存的文件夹：包含 config.json、权重和分词器。</translation>
    </message>
    <message>
        <source>e.g. distilbert-base-uncased or Qwen/Qwen2.5-0.5B</source>
        <translation>例如 distilbert-base-uncased 或 Qwen/Qwen2.5-0.5B</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Local folder</source>
        <translation>本地文件夹</translation>
    </message>
    <message>
        <source>Your pretrained models</source>
        <translation>你的预训练模型</translation>
    </message>
    <message>
        <source>In the Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>Download from the hub</source>
        <translation>从 Hub 下载</translation>
    </message>
    <message>
        <source>No model chosen yet.</source>
        <translation>尚未选择模型。</translation>
    </message>
    <message>
        <source>No pretraining runs yet. Pretrain a model and it appears here, ready to fine-tune.</source>
        <translation>还没有预训练运行。预训练一个模型后，它会出现在这里，可直接用于微调。</translation>
    </message>
    <message>
        <source>No models in the local Hugging Face cache yet.</source>
        <translation>本地 Hugging Face 缓存中还没有模型。</translation>
    </message>
    <message>
        <source>Inspecting the model…</source>
        <translation>正在检查模型…</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>Layers × hidden</source>
        <translation>层数 × 隐藏维度</translation>
    </message>
    <message>
        <source>Can be trained for</source>
        <translation>可训练的任务</translation>
    </message>
    <message>
        <source>none of the supported tasks</source>
        <translation>不支持任何任务</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Trust this model&apos;s code?</source>
        <translation>信任此模型的代码吗？</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; runs only with its own Python code: transformers has no &apos;{type}&apos; architecture, and the model&apos;s folder ships code that defines it ({classes}).</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; 只能通过它自带的 Python 代码运行：transformers 中没有 &apos;{type}&apos; 架构，该模型的文件夹里附带了定义它的代码（{classes}）。</translation>
    </message>
    <message>
        <source>Trusting it lets that code, from {where}, run on this computer with your user&apos;s rights whenever the model is loaded: it could read, change or delete your files and use the network. Trust it only if you trust its authors.</source>
        <translation>信任后，每次加载模型时，来自 {where} 的这些代码都会以你的用户权限在本机运行：它可以读取、修改或删除你的文件，也可以访问网络。只有在你信任其作者时才选择信任。</translation>
    </message>
    <message>
        <source>Trust and continue</source>
        <translation>信任并继续</translation>
    </message>
    <message>
        <source>Don&apos;t trust</source>
        <translation>不信任</translation>
    </message>
    <message>
        <source>This model runs its own code; you chose to trust it.</source>
        <translation>此模型会运行自带的代码；你已选择信任它。</translation>
    </message>
    <message>
        <source>{name} cannot be used without running its own code, and you chose not to trust it. Choose another model (a folder, your pretrained models, the cache or the hub), or choose this one again to be asked again.</source>
        <translation>{name} 必须运行自带的代码才能使用，而你选择了不信任它。请选择其他模型（文件夹、你的预训练模型、缓存或 Hub），或再次选择此模型以重新回答。</translation>
    </message>
    <message>
        <source>Offline mode is on, so nothing is downloaded. Turn it off in File &gt; Settings, or choose a model folder or a model already in your cache.</source>
        <translation>离线模式已开启，因此不会下载任何内容。请在“文件 &gt; 设置”中关闭离线模式，或选择模型文件夹或缓存中已有的模型。</translation>
    </message>
    <message>
        <source>Downloading {repo}…</source>
        <translation>正在下载 {repo}…</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <source>Choose a model (or start with the demo).</source>
        <translation>请选择模型（或从示例开始）。</translation>
    </message>
    <message>
        <source>This model cannot be fine-tuned for any task pft-desktop supports.</source>
        <translation>此模型无法用于 pft-desktop 支持的任何任务的微调。</translation>
    </message>
</context>
<context>
    <name>Notify</name>
    <message>
        <source>Training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>训练发散</translation>
    </message>
    <message>
        <source>Training ended unexpectedly</source>
        <translation>训练意外结束</translation>
    </message>
    <message>
        <source>accuracy {accuracy:.1%} on the validation rows</source>
        <translation>验证集准确率 {accuracy:.1%}</translation>
    </message>
    <message>
        <source>validation perplexity {perplexity:.2f}</source>
        <translation>验证困惑度 {perplexity:.2f}</translation>
    </message>
    <message>
        <source>validation loss {loss:.4f}</source>
        <translation>验证损失 {loss:.4f}</translation>
    </message>
    <message>
        <source>its model is saved</source>
        <translation>模型已保存</translation>
    </message>
    <message>
        <source>{run}: {detail}. Results and export are ready.</source>
        <translation>{run}：{detail}。可以查看结果并导出了。</translation>
    </message>
    <message>
        <source>{run}: the loss stopped being a number. {fix}</source>
        <translation>{run}：损失值不再是有效数字。{fix}</translation>
    </message>
    <message>
        <source>Try a lower learning rate.</source>
        <translation>请尝试降低学习率。</translation>
    </message>
    <message>
        <source>The training process ended without finishing the run.</source>
        <translation>训练进程在运行完成前就结束了。</translation>
    </message>
</context>
<context>
    <name>PathEdit</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Choose a data file</source>
        <translation>选择数据文件</translation>
    </message>
</context>
<context>
    <name>Prediction</name>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Labels: {names}</source>
        <translation>标签：{names}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Predicted value:&lt;/b&gt; {value:.4g}</source>
        <translation>&lt;b&gt;预测值：&lt;/b&gt;{value:.4g}</translation>
    </message>
    <message>
        <source>no answer in the context</source>
        <translation>上下文中没有答案</translation>
    </message>
    <message>
        <source>&lt;b&gt;Answer:&lt;/b&gt; {answer} ({score:.1%})</source>
        <translation>&lt;b&gt;答案：&lt;/b&gt;{answer}（{score:.1%}）</translation>
    </message>
    <message>
        <source>Guesses: {guesses}</source>
        <translation>猜测：{guesses}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Generated:&lt;/b&gt; {text}</source>
        <translation>&lt;b&gt;生成：&lt;/b&gt;{text}</translation>
    </message>
</context>
<context>
    <name>ProcessOutcome</name>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>no output</source>
        <translation>无输出</translation>
    </message>
    <message>
        <source>The helper process crashed: {output}</source>
        <translation>辅助进程崩溃了：{output}</translation>
    </message>
    <message>
        <source>The helper process exited with code {code}: {output}</source>
        <translation>辅助进程退出，代码 {code}：{output}</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Results and export</source>
        <translation>结果与导出</translation>
    </message>
    <message>
        <source>How well the model did on held-out data, a place to try it, and export.</source>
        <translation>模型在留出数据上的表现、试用模型，以及导出。</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true label, columns: predicted)</source>
        <translation>混淆矩阵（行：真实标签，列：预测）</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Per label (validation)</source>
        <translation>各标签（验证集）</translation>
    </message>
    <message>
        <source>Predicted against true (validation)</source>
        <translation>预测值与真实值（验证集）</translation>
    </message>
    <message>
        <source>Examples from the validation rows</source>
        <translation>验证集中的示例</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>试一试</translation>
    </message>
    <message>
        <source>Type some text and press Enter</source>
        <translation>输入一些文本并按回车</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>The model loads in the background when this page opens.</source>
        <translation>打开此页面时会在后台加载模型。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export adapter…</source>
        <translation>导出适配器…</translation>
    </message>
    <message>
        <source>Only the LoRA weights (a few MB); load them on top of the base model with peft.</source>
        <translation>仅包含 LoRA 权重（几 MB）；用 peft 加载到基础模型之上。</translation>
    </message>
    <message>
        <source>Export merged model…</source>
        <translation>导出合并后的模型…</translation>
    </message>
    <message>
        <source>A complete model folder that plain transformers loads.</source>
        <translation>一个完整的模型文件夹，直接用 transformers 即可加载。</translation>
    </message>
    <message>
        <source>Export GGUF…</source>
        <translation>导出 GGUF…</translation>
    </message>
    <message>
        <source>A GGUF file for llama.cpp and Ollama with an Ollama Modelfile; the file is read back and compared with the model before it is kept.</source>
        <translation>用于 llama.cpp 和 Ollama 的 GGUF 文件，附带 Ollama Modelfile；保存前会回读该文件并与模型比对。</translation>
    </message>
    <message>
        <source>The GGUF file&apos;s number format: q8_0 is half the size of f16 and nearly as close to the model; q4_0 is smallest.</source>
        <translation>GGUF 文件的数值格式：q8_0 的大小是 f16 的一半，且几乎同样接近原模型；q4_0 最小。</translation>
    </message>
    <message>
        <source>Export ONNX…</source>
        <translation>导出 ONNX…</translation>
    </message>
    <message>
        <source>model.onnx for onnxruntime, checked against the model before it is kept (needs pip install &apos;pft-desktop[onnx]&apos;).</source>
        <translation>用于 onnxruntime 的 model.onnx，保存前会与模型比对（需要 pip install &apos;pft-desktop[onnx]&apos;）。</translation>
    </message>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>Also write model_int8.onnx: dynamically quantized, about a quarter of the size and faster on a CPU, slightly less exact.</source>
        <translation>同时写出 model_int8.onnx：动态量化，大小约为四分之一，在 CPU 上更快，精度略低。</translation>
    </message>
    <message>
        <source>Upload to the Hub…</source>
        <translation>上传到 Hub…</translation>
    </message>
    <message>
        <source>Upload the merged model or the adapter, with its model card, to a Hugging Face Hub repository (private unless you say otherwise).</source>
        <translation>将合并后的模型或适配器连同模型卡片上传到 Hugging Face Hub 仓库（除非另行指定，否则为私有）。</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Fine-tune this model…</source>
        <translation>微调此模型…</translation>
    </message>
    <message>
        <source>Use this pretrained model as the base of a new fine-tuning run.</source>
        <translation>以这个预训练模型为基础，开始新的微调运行。</translation>
    </message>
    <message>
        <source>Open run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>还没有运行。</translation>
    </message>
    <message>
        <source>Run finished. </source>
        <translation>运行已完成。</translation>
    </message>
    <message>
        <source>Run stopped. </source>
        <translation>运行已停止。</translation>
    </message>
    <message>
        <source>Run failed. </source>
        <translation>运行失败。</translation>
    </message>
    <message>
        <source>Run diverged. </source>
        <translation>运行已发散。</translation>
    </message>
    <message>
        <source>Run interrupted. </source>
        <translation>运行被中断。</translation>
    </message>
    <message>
        <source>This run is still training in the background. </source>
        <translation>此运行仍在后台训练。</translation>
    </message>
    <message>
        <source>Run folder: {folder}</source>
        <translation>运行文件夹：{folder}</translation>
    </message>
    <message>
        <source>This run is still training; export it once it has finished.</source>
        <translation>此运行仍在训练；完成后再导出。</translation>
    </message>
    <message>
        <source>This run has not saved a model to chat with (yet).</source>
        <translation>此运行（还）没有保存可对话的模型。</translation>
    </message>
    <message>
        <source>Made in two steps. 1. {pretraining} 2. This run fine-tuned the model it saved.</source>
        <translation>分两步完成。1. {pretraining} 2. 此运行对其保存的模型进行了微调。</translation>
    </message>
    <message>
        <source>Fine-tune {base} the same way…</source>
        <translation>以相同方式微调 {base}…</translation>
    </message>
    <message>
        <source>A new run with this run&apos;s data and settings from the model the pretraining started from: its result, shown here, is what the pretraining gained.</source>
        <translation>用本次运行的数据和设置，从预训练的起点模型开始新的运行：其结果会显示在这里，即预训练带来的提升。</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实值</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Loading the model in the background; you can write already.</source>
        <translation>正在后台加载模型；你现在就可以输入。</translation>
    </message>
    <message>
        <source>Choose an image</source>
        <translation>选择图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Loading the model; the answer follows…</source>
        <translation>正在加载模型，稍后给出回答…</translation>
    </message>
    <message>
        <source>Ready: give the model an input and press Enter.</source>
        <translation>就绪：给模型一个输入并按回车。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>This model does not chat.</source>
        <translation>此模型不支持对话。</translation>
    </message>
    <message>
        <source> (the adapter switched off)</source>
        <translation>（关闭适配器）</translation>
    </message>
    <message>
        <source>The model stopped: {reason}</source>
        <translation>模型已停止：{reason}</translation>
    </message>
    <message>
        <source>The model could not be loaded: {reason}</source>
        <translation>无法加载模型：{reason}</translation>
    </message>
    <message>
        <source>Export into which folder?</source>
        <translation>导出到哪个文件夹？</translation>
    </message>
    <message>
        <source>Exporting the {kind} model to {target}…</source>
        <translation>正在将 {kind} 模型导出到 {target}…</translation>
    </message>
    <message>
        <source>Exported to {folder}. </source>
        <translation>已导出到 {folder}。</translation>
    </message>
    <message>
        <source>Run it with llama.cpp, or in Ollama: ollama create NAME -f Modelfile (in that folder).</source>
        <translation>用 llama.cpp 运行，或在 Ollama 中运行：ollama create NAME -f Modelfile（在该文件夹中）。</translation>
    </message>
    <message>
        <source>It runs with onnxruntime; its README.md shows how.</source>
        <translation>可用 onnxruntime 运行；其中的 README.md 说明了用法。</translation>
    </message>
    <message>
        <source>It loads with plain transformers/peft; its README.md shows how.</source>
        <translation>可直接用 transformers/peft 加载；其中的 README.md 说明了用法。</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>导出失败：{reason}</translation>
    </message>
    <message>
        <source>Open a run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <source>Not a run folder</source>
        <translation>不是运行文件夹</translation>
    </message>
    <message>
        <source>Not added to the library</source>
        <translation>未加入运行库</translation>
    </message>
    <message>
        <source>{folder} opens, but could not join the library ({error}).</source>
        <translation>{folder} 可以打开，但无法加入运行库（{error}）。</translation>
    </message>
</context>
<context>
    <name>RewardChart</name>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>eval</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>RunTable</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Best metric</source>
        <translation>最佳指标</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} 小时 {minutes:02d} 分</translation>
    </message>
    <message>
        <source>{minutes} min {seconds:02d} s</source>
        <translation>{minutes} 分 {seconds:02d} 秒</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{status} · step {step:,} of {total:,}</source>
        <translation>{status} · 第 {step:,} / {total:,} 步</translation>
    </message>
    <message>
        <source>Trained more from {run}</source>
        <translation>在 {run} 的基础上继续训练</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Every run you have trained, newest first. Open one to see its charts and results; select two or more to compare them.</source>
        <translation>你训练过的所有运行，最新的在前。打开一个可查看其图表和结果；选择两个或更多可进行比较。</translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation>按名称搜索</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>所有任务</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Train more…</source>
        <translation>继续训练…</translation>
    </message>
    <message>
        <source>New run from this config</source>
        <translation>用此配置新建运行</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Continue a stopped or interrupted run from its last checkpoint.</source>
        <translation>从最后一个检查点继续已停止或中断的运行。</translation>
    </message>
    <message>
        <source>A new run that starts from this finished run&apos;s weights.</source>
        <translation>从这个已完成运行的权重开始一个新的运行。</translation>
    </message>
    <message>
        <source>Fill the wizard with this run&apos;s settings, to change and train again.</source>
        <translation>用此运行的设置填充向导，修改后重新训练。</translation>
    </message>
    <message>
        <source>Open the run&apos;s results, where it exports.</source>
        <translation>打开此运行的结果页面，在那里导出。</translation>
    </message>
    <message>
        <source>Move the run&apos;s folder to the trash.</source>
        <translation>将此运行的文件夹移到回收站。</translation>
    </message>
    <message>
        <source>The runs folder {folder} could not be read: {error}</source>
        <translation>无法读取运行文件夹 {folder}：{error}</translation>
    </message>
    <message>
        <source>{shown:,} of {total:,} runs</source>
        <translation>{shown:,} / {total:,} 个运行</translation>
    </message>
    <message>
        <source>1 run</source>
        <translation>1 个运行</translation>
    </message>
    <message>
        <source>{total:,} runs</source>
        <translation>{total:,} 个运行</translation>
    </message>
    <message>
        <source>Runs folder: {folder} · {size} in all · &lt;a href=&apos;settings&apos;&gt;Change…&lt;/a&gt;</source>
        <translation>运行文件夹：{folder} · 共 {size} · &lt;a href=&apos;settings&apos;&gt;更改…&lt;/a&gt;</translation>
    </message>
    <message>
        <source>No runs yet. Runs you train appear here, and so do run folders you open with File &gt; Open run folder.</source>
        <translation>还没有运行。你训练的运行会出现在这里，通过“文件 &gt; 打开运行文件夹”打开的运行文件夹也会出现在这里。</translation>
    </message>
    <message>
        <source>No run matches the search and filters.</source>
        <translation>没有符合搜索和筛选条件的运行。</translation>
    </message>
    <message>
        <source>A run that is training cannot be deleted; stop it first.</source>
        <translation>正在训练的运行无法删除；请先停止它。</translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>New name for the run (its folder is renamed):</source>
        <translation>运行的新名称（其文件夹也会重命名）：</translation>
    </message>
    <message>
        <source>Could not rename the run</source>
        <translation>无法重命名运行</translation>
    </message>
    <message>
        <source> and {count} more</source>
        <translation> 等另外 {count} 个</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Move {names} ({size}) to the trash? You can restore it from there.</source>
        <translation>将 {names}（{size}）移到回收站？之后可以从回收站恢复。</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到回收站</translation>
    </message>
    <message>
        <source>Run is training</source>
        <translation>运行正在训练</translation>
    </message>
    <message>
        <source>{name} is training; stop it before deleting it.</source>
        <translation>{name} 正在训练；请先停止再删除。</translation>
    </message>
    <message>
        <source>No trash for this folder</source>
        <translation>此文件夹没有回收站</translation>
    </message>
    <message>
        <source>{name} cannot be moved to the trash (there is none for its drive). Delete it for good?</source>
        <translation>{name} 无法移到回收站（它所在的驱动器没有回收站）。要永久删除吗？</translation>
    </message>
    <message>
        <source>Could not delete the run</source>
        <translation>无法删除运行</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
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
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Default: {folder}</source>
        <translation>默认：{folder}</translation>
    </message>
    <message>
        <source>&amp;Work offline: never contact the Hugging Face Hub</source>
        <translation>离线工作：从不连接 Hugging Face Hub(&amp;W)</translation>
    </message>
    <message>
        <source>Models load only from folders and the local cache; downloads and hub look-ups are off in the app and in every process it starts.</source>
        <translation>模型只从文件夹和本地缓存加载；应用及其启动的所有进程都不会下载或查询 Hub。</translation>
    </message>
    <message>
        <source>Default: the Hugging Face cache (~/.cache/huggingface/hub)</source>
        <translation>默认：Hugging Face 缓存（~/.cache/huggingface/hub）</translation>
    </message>
    <message>
        <source>Where models downloaded from the hub are kept (HF_HUB_CACHE).</source>
        <translation>从 Hub 下载的模型的存放位置（HF_HUB_CACHE）。</translation>
    </message>
    <message>
        <source>&amp;Runs folder</source>
        <translation>运行文件夹(&amp;R)</translation>
    </message>
    <message>
        <source>Choose the runs folder</source>
        <translation>选择运行文件夹</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>A new language applies after a restart.</source>
        <translation>更改语言后需重启应用才会生效。</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Hub &amp;cache</source>
        <translation>Hub 缓存(&amp;C)</translation>
    </message>
    <message>
        <source>Choose the Hugging Face cache folder</source>
        <translation>选择 Hugging Face 缓存文件夹</translation>
    </message>
    <message>
        <source>Every new run gets a folder in the runs folder; the Runs page lists them. Runs already trained stay where they are.</source>
        <translation>每个新运行都会在运行文件夹中获得一个子文件夹，“运行”页面会列出它们。已训练的运行保持原位不动。</translation>
    </message>
    <message>
        <source>While the environment variable {name} is set, runs go to {folder} instead.</source>
        <translation>设置了环境变量 {name} 时，运行会保存到 {folder}。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>runs folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <source>hub cache</source>
        <translation>Hub 缓存</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}.</source>
        <translation>无法保存设置：{error}。</translation>
    </message>
    <message>
        <source>The {what} {path} is a file, not a folder; choose a folder.</source>
        <translation>{what} {path} 是文件而不是文件夹；请选择一个文件夹。</translation>
    </message>
    <message>
        <source>The {what} {path} cannot be created: {error}. Choose another folder.</source>
        <translation>无法创建{what} {path}：{error}。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>The {what} {path} cannot be written to; choose a folder of yours.</source>
        <translation>{what} {path} 无法写入；请选择一个属于你的文件夹。</translation>
    </message>
</context>
<context>
    <name>TaskPage</name>
    <message>
        <source>Trains small adapter matrices (under 1% of the weights). The best default: fast, light on memory, and the export is a few MB.</source>
        <translation>训练小型适配器矩阵（不到 1% 的权重）。最佳默认选择：速度快、占用内存少，导出仅几 MB。</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>全量微调</translation>
    </message>
    <message>
        <source>Updates every weight. Choose it for small models or when LoRA is not accurate enough and memory allows.</source>
        <translation>更新所有权重。适用于小模型，或在 LoRA 精度不够且内存充足时选择。</translation>
    </message>
    <message>
        <source>Frozen backbone</source>
        <translation>冻结主干</translation>
    </message>
    <message>
        <source>Trains only the new head (and optionally the top layers). The quickest option when the pretrained features already fit the task.</source>
        <translation>只训练新的输出头（可选地加上顶部几层）。当预训练特征已适合任务时，这是最快的选择。</translation>
    </message>
    <message>
        <source>LoRA on a model stored in 4 bits: about a quarter of the memory, for models that do not fit otherwise. Slightly slower per step.</source>
        <translation>在以 4 位存储的模型上做 LoRA：内存约为四分之一，适合否则放不下的模型。每步稍慢。</translation>
    </message>
    <message>
        <source>LoRA on an 8-bit model: half the memory, closer to full precision than 4-bit.</source>
        <translation>在 8 位模型上做 LoRA：内存减半，比 4 位更接近全精度。</translation>
    </message>
    <message>
        <source>Task and method</source>
        <translation>任务与方法</translation>
    </message>
    <message>
        <source>Choose what the model should learn and how much of it to train.</source>
        <translation>选择模型要学习什么，以及训练模型的哪些部分。</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>{method} (unavailable: {reason})</source>
        <translation>{method}（不可用：{reason}）</translation>
    </message>
    <message>
        <source>The chosen model cannot do this task.</source>
        <translation>所选模型无法完成此任务。</translation>
    </message>
    <message>
        <source>The model cannot do {task}; pick another task.</source>
        <translation>该模型无法完成 {task}；请选择其他任务。</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Training runs in its own process: the window stays responsive, and Stop saves a checkpoint you can resume.</source>
        <translation>训练在独立进程中运行：窗口保持响应，点击“停止”会保存一个可以恢复的检查点。</translation>
    </message>
    <message>
        <source>Checkpoint saved at step {step}</source>
        <translation>已在第 {step} 步保存检查点</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Kill</source>
        <translation>强制结束</translation>
    </message>
    <message>
        <source>End the process now; progress since the last checkpoint is lost.</source>
        <translation>立即结束进程；上一个检查点之后的进度将丢失。</translation>
    </message>
    <message>
        <source>%v / %m steps</source>
        <translation>%v / %m 步</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>尚未开始。</translation>
    </message>
    <message>
        <source>Show full log</source>
        <translation>显示完整日志</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>每秒词元数</translation>
    </message>
    <message>
        <source>Memory (GB)</source>
        <translation>内存 (GB)</translation>
    </message>
    <message>
        <source>The run&apos;s log appears here as it is written.</source>
        <translation>运行日志会在写入时显示在这里。</translation>
    </message>
    <message>
        <source>Reward margin</source>
        <translation>奖励差值</translation>
    </message>
    <message>
        <source>chosen - rejected</source>
        <translation>选中 - 拒绝</translation>
    </message>
    <message>
        <source>Reward accuracy</source>
        <translation>奖励准确率</translation>
    </message>
    <message>
        <source>share of pairs</source>
        <translation>样本对比例</translation>
    </message>
    <message>
        <source>new {kind}</source>
        <translation>新{kind}</translation>
    </message>
    <message>
        <source>{rows:,} training rows · </source>
        <translation>{rows:,} 条训练数据 · </translation>
    </message>
    <message>
        <source>batch {batch} · lr {lr:g}</source>
        <translation>批大小 {batch} · 学习率 {lr:g}</translation>
    </message>
    <message>
        <source>Run folder: {link}</source>
        <translation>运行文件夹：{link}</translation>
    </message>
    <message>
        <source>Starting the training process…</source>
        <translation>正在启动训练进程…</translation>
    </message>
    <message>
        <source>Following a run that trains in the background…</source>
        <translation>正在跟踪一个在后台训练的运行…</translation>
    </message>
    <message>
        <source>Following this run from its folder (it was started outside this window): its charts go on live, and Stop asks it to save and stop.</source>
        <translation>正在通过文件夹跟踪此运行（它是在本窗口之外启动的）：图表会实时更新，点击“停止”会请求它保存并停止。</translation>
    </message>
    <message>
        <source>Another run is training</source>
        <translation>另一个运行正在训练</translation>
    </message>
    <message>
        <source>{names} is still training in the background. Two runs on the same processor slow each other down badly (about ten times on a 2-core machine). Start this one anyway?</source>
        <translation>{names} 仍在后台训练。两个运行共用同一处理器会严重拖慢彼此（在双核机器上约慢十倍）。仍要启动这个运行吗？</translation>
    </message>
    <message>
        <source>Start anyway</source>
        <translation>仍然启动</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopping after the current step, then saving…</source>
        <translation>将在当前步结束后停止，然后保存…</translation>
    </message>
    <message>
        <source>Kill this run?</source>
        <translation>强制结束此运行？</translation>
    </message>
    <message>
        <source>This run was started outside this window. Kill its training process now? Progress since its last checkpoint is lost.</source>
        <translation>此运行是在本窗口之外启动的。现在强制结束它的训练进程吗？上一个检查点之后的进度将丢失。</translation>
    </message>
    <message>
        <source>Could not kill the run</source>
        <translation>无法强制结束运行</translation>
    </message>
    <message>
        <source>The run has not stopped yet (a long step or evaluation). Wait, or Kill it: progress since the last checkpoint would be lost.</source>
        <translation>运行尚未停止（某一步或评估耗时较长）。请等待，或强制结束：上一个检查点之后的进度将丢失。</translation>
    </message>
    <message>
        <source>{precision} with bf16 matrix products</source>
        <translation>{precision}，矩阵乘法用 bf16</translation>
    </message>
    <message>
        <source>Training on {device} ({precision}): {trainable:,} of {total:,} parameters trainable.</source>
        <translation>在 {device}（{precision}）上训练：{total:,} 个参数中有 {trainable:,} 个可训练。</translation>
    </message>
    <message>
        <source>Evaluation at step {step}: {shown}</source>
        <translation>第 {step} 步评估：{shown}</translation>
    </message>
    <message>
        <source> · loss {loss:.4f}</source>
        <translation> · 损失 {loss:.4f}</translation>
    </message>
    <message>
        <source>Step {step} of {total} · epoch {epoch:.2f}{loss} · elapsed {elapsed} · ETA {eta}</source>
        <translation>第 {step} / {total} 步 · 轮次 {epoch:.2f}{loss} · 已用 {elapsed} · 剩余 {eta}</translation>
    </message>
    <message>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No progress for 1 minute.&lt;/b&gt;</source>
        <translation>&lt;b&gt;已 1 分钟没有进展。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;No progress for {minutes} minutes.&lt;/b&gt;</source>
        <translation>&lt;b&gt;已 {minutes} 分钟没有进展。&lt;/b&gt;</translation>
    </message>
    <message>
        <source> The run&apos;s process is alive but has made no step since step {step}, far longer than its steps have been taking. It may be stuck (a hung data loader, a deadlocked device). Wait a little longer, or Stop it (it saves a checkpoint you can resume); Kill is offered if it does not stop. The end of its log:</source>
        <translation>运行进程仍在，但自第 {step} 步以来一直没有前进，远超过以往每步所需的时间。它可能卡住了（数据加载器挂起或设备死锁）。可以再等一会儿，或将其停止（会保存可恢复的检查点）；如果停不下来，会提供“强制结束”。日志末尾：</translation>
    </message>
    <message>
        <source> The run&apos;s process is alive but has made no step, far longer than its steps have been taking. It may be stuck (a hung data loader, a deadlocked device). Wait a little longer, or Stop it (it saves a checkpoint you can resume); Kill is offered if it does not stop. The end of its log:</source>
        <translation>运行进程仍在，但一直没有前进，远超过以往每步所需的时间。它可能卡住了（数据加载器挂起或设备死锁）。可以再等一会儿，或将其停止（会保存可恢复的检查点）；如果停不下来，会提供“强制结束”。日志末尾：</translation>
    </message>
    <message>
        <source>(The log is empty.)</source>
        <translation>（日志为空。）</translation>
    </message>
    <message>
        <source>Training finished. Next: results and export.</source>
        <translation>训练完成。下一步：结果与导出。</translation>
    </message>
    <message>
        <source>Stopped and saved. Resume it, or look at the results.</source>
        <translation>已停止并保存。可以恢复训练，或查看结果。</translation>
    </message>
    <message>
        <source>The run ended without saving: resume it from its last checkpoint, or train again.</source>
        <translation>运行结束但未保存：请从最后一个检查点恢复，或重新训练。</translation>
    </message>
    <message>
        <source>The run did not finish: see the message above.</source>
        <translation>运行未完成：请查看上方的消息。</translation>
    </message>
    <message>
        <source>No training step was recorded.</source>
        <translation>没有记录到任何训练步。</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>{how} at step {step} of {total} · epoch {epoch:.2f} · elapsed {elapsed}</source>
        <translation>{how}于第 {step} / {total} 步 · 轮次 {epoch:.2f} · 已用 {elapsed}</translation>
    </message>
    <message>
        <source>This run is still training in the background; its charts show the events written so far.</source>
        <translation>此运行仍在后台训练；图表显示的是目前已写入的事件。</translation>
    </message>
    <message>
        <source>Training in the background.</source>
        <translation>正在后台训练。</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Train again</source>
        <translation>再次训练</translation>
    </message>
    <message>
        <source>A new run from the beginning, with the same settings.</source>
        <translation>使用相同设置，从头开始一个新的运行。</translation>
    </message>
    <message>
        <source>Training is running…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>This run is still training in the background; its results come when it finishes.</source>
        <translation>此运行仍在后台训练；完成后才会有结果。</translation>
    </message>
    <message>
        <source>Start training to continue.</source>
        <translation>开始训练以继续。</translation>
    </message>
    <message>
        <source>The run was interrupted before it finished; resume it or train again.</source>
        <translation>运行在完成前被中断；请恢复或重新训练。</translation>
    </message>
    <message>
        <source>The run failed; fix the problem above and train again.</source>
        <translation>运行失败；请解决上方的问题后重新训练。</translation>
    </message>
    <message>
        <source>Full log</source>
        <translation>完整日志</translation>
    </message>
    <message>
        <source>The log is empty.</source>
        <translation>日志为空。</translation>
    </message>
</context>
<context>
    <name>TrainingSession</name>
    <message>
        <source>The training process could not start ({error}).</source>
        <translation>训练进程无法启动（{error}）。</translation>
    </message>
    <message>
        <source>Check that pft-desktop is installed in this Python.</source>
        <translation>请检查 pft-desktop 是否已安装在这个 Python 环境中。</translation>
    </message>
    <message>
        <source>The run is no longer training.</source>
        <translation>此运行已不在训练。</translation>
    </message>
    <message>
        <source>The training process could not be ended ({error}).</source>
        <translation>无法结束训练进程（{error}）。</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Tokens per row</source>
        <translation>每行词元数</translation>
    </message>
    <message>
        <source>Text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <source>Assign one label to each text (sentiment, topic, intent). Needs a text and a label column; a second text column makes it a pair task.</source>
        <translation>为每段文本分配一个标签（情感、主题、意图）。需要一个文本列和一个标签列；再加一个文本列即成为文本对任务。</translation>
    </message>
    <message>
        <source>Choose an encoder such as BERT or RoBERTa, or a decoder with a classification head (Llama, Qwen, GPT-2).</source>
        <translation>请选择 BERT、RoBERTa 等编码器，或带分类头的解码器（Llama、Qwen、GPT-2）。</translation>
    </message>
    <message>
        <source>Labels (training rows)</source>
        <translation>标签（训练数据）</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>The text to classify.</source>
        <translation>要分类的文本。</translation>
    </message>
    <message>
        <source>Second text</source>
        <translation>第二段文本</translation>
    </message>
    <message>
        <source>An optional second text, read together with the first (question and answer, premise and hypothesis).</source>
        <translation>可选的第二段文本，与第一段一起读取（问题与答案、前提与假设）。</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>The class of each row (text or number).</source>
        <translation>每行的类别（文本或数字）。</translation>
    </message>
    <message>
        <source>Sentence pair classification</source>
        <translation>句子对分类</translation>
    </message>
    <message>
        <source>Assign one label to each pair of texts (entailment, paraphrase, whether an answer fits a question). Needs two text columns and a label column.</source>
        <translation>为每对文本分配一个标签（蕴含、复述、答案是否切题）。需要两个文本列和一个标签列。</translation>
    </message>
    <message>
        <source>Labels (training pairs)</source>
        <translation>标签（训练文本对）</translation>
    </message>
    <message>
        <source>First text</source>
        <translation>第一段文本</translation>
    </message>
    <message>
        <source>The first text of each pair (premise, question, sentence 1).</source>
        <translation>每对中的第一段文本（前提、问题、句子 1）。</translation>
    </message>
    <message>
        <source>The second text of each pair (hypothesis, answer, sentence 2), read together with the first.</source>
        <translation>每对中的第二段文本（假设、答案、句子 2），与第一段一起读取。</translation>
    </message>
    <message>
        <source>The class of each pair (entailment, paraphrase or not, text or number).</source>
        <translation>每对的类别（是否蕴含、是否复述；文本或数字）。</translation>
    </message>
    <message>
        <source>Multi-label classification</source>
        <translation>多标签分类</translation>
    </message>
    <message>
        <source>Give each text every label that applies, or none (topics, tags, genres). Needs a text column and either one column of separated labels or one 0/1 column per label.</source>
        <translation>为每段文本打上所有适用的标签，也可以一个都没有（主题、标记、类型）。需要一个文本列，以及一个用分隔符分开的标签列或每个标签一个 0/1 列。</translation>
    </message>
    <message>
        <source>The text to label.</source>
        <translation>要打标签的文本。</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>The labels of each row in one column, separated by a delimiter (&apos;sports;politics&apos;), or JSON lists; an empty cell means no label. Leave it empty when the labels are 0/1 columns.</source>
        <translation>每行的标签放在一列中，用分隔符分开（&apos;sports;politics&apos;）或写成 JSON 列表；空单元格表示没有标签。如果标签是 0/1 列，请留空。</translation>
    </message>
    <message>
        <source>Label columns (0/1)</source>
        <translation>标签列（0/1）</translation>
    </message>
    <message>
        <source>Several columns, one per label, holding 1 (or true, yes) where the label applies and 0 where it does not; used instead of a labels column.</source>
        <translation>多个列，每个标签一列，适用时为 1（或 true、yes），不适用时为 0；用来代替标签列。</translation>
    </message>
    <message>
        <source>Regression (a number per text)</source>
        <translation>回归（每段文本一个数值）</translation>
    </message>
    <message>
        <source>Predict a number for each text or pair of texts: a score, a rating, how similar two sentences are. Needs a text column and a numeric column; a second text column makes it a pair task (STS-B style).</source>
        <translation>为每段文本或文本对预测一个数值：分数、评级、两个句子的相似度。需要一个文本列和一个数值列；再加一个文本列即成为文本对任务（STS-B 风格）。</translation>
    </message>
    <message>
        <source>Targets (training rows)</source>
        <translation>目标值（训练数据）</translation>
    </message>
    <message>
        <source>The text to score (the first text of a pair).</source>
        <translation>要打分的文本（文本对中的第一段）。</translation>
    </message>
    <message>
        <source>An optional second text, scored together with the first (the similarity of two sentences).</source>
        <translation>可选的第二段文本，与第一段一起打分（两个句子的相似度）。</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>The number to predict for each row (a score, a rating, a similarity).</source>
        <translation>每行要预测的数值（分数、评级、相似度）。</translation>
    </message>
    <message>
        <source>Named entities (token classification)</source>
        <translation>命名实体（词元分类）</translation>
    </message>
    <message>
        <source>Find the names of people, places, organisations or your own entity types in text, word by word. Needs a CoNLL-style file (a token and its tag per line), tokens and tags columns, or a text column with entity spans.</source>
        <translation>逐词找出文本中的人名、地名、机构名或你自定义的实体类型。需要 CoNLL 格式的文件（每行一个词元及其标记）、词元列和标记列，或带实体区间的文本列。</translation>
    </message>
    <message>
        <source>Choose an encoder with a fast tokenizer, such as BERT, RoBERTa, DeBERTa, XLM-RoBERTa or all-MiniLM-L6-v2.</source>
        <translation>请选择带快速分词器的编码器，例如 BERT、RoBERTa、DeBERTa、XLM-RoBERTa 或 all-MiniLM-L6-v2。</translation>
    </message>
    <message>
        <source>Entities (training rows)</source>
        <translation>实体（训练数据）</translation>
    </message>
    <message>
        <source>Tokens per sentence</source>
        <translation>每句词元数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Each sentence&apos;s words, as a list ([&quot;EU&quot;, &quot;rejects&quot;, …]) or separated by spaces. A CoNLL-style file (token and tag per line) needs no columns.</source>
        <translation>每个句子的词，写成列表（[&quot;EU&quot;, &quot;rejects&quot;, …]）或用空格分开。CoNLL 格式的文件（每行一个词元和标记）不需要指定列。</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>One tag per token: B-PER, I-PER, O… (IOB1, IOB2, BIOES or BILOU, detected and converted).</source>
        <translation>每个词元一个标记：B-PER、I-PER、O…（IOB1、IOB2、BIOES 或 BILOU，会自动检测并转换）。</translation>
    </message>
    <message>
        <source>Instead of tokens and tags: the raw text, with its entities given as character spans.</source>
        <translation>代替词元和标记：原始文本，其实体以字符区间给出。</translation>
    </message>
    <message>
        <source>Entity spans</source>
        <translation>实体区间</translation>
    </message>
    <message>
        <source>The entities of the text as character spans: [[start, end, &quot;TYPE&quot;], …] or [{&quot;start&quot;, &quot;end&quot;, &quot;label&quot;}, …].</source>
        <translation>文本中的实体，以字符区间表示：[[start, end, &quot;TYPE&quot;], …] 或 [{&quot;start&quot;, &quot;end&quot;, &quot;label&quot;}, …]。</translation>
    </message>
    <message>
        <source>Question answering (extractive)</source>
        <translation>问答（抽取式）</translation>
    </message>
    <message>
        <source>Find the answer to a question in a passage of text (SQuAD style), or say there is none. Needs question, context and answer columns, or a SQuAD-style JSON file.</source>
        <translation>在一段文本中找出问题的答案（SQuAD 风格），或判断没有答案。需要问题列、上下文列和答案列，或 SQuAD 格式的 JSON 文件。</translation>
    </message>
    <message>
        <source>Choose an encoder such as BERT, RoBERTa, DistilBERT, ELECTRA or DeBERTa.</source>
        <translation>请选择 BERT、RoBERTa、DistilBERT、ELECTRA 或 DeBERTa 等编码器。</translation>
    </message>
    <message>
        <source>Questions (training)</source>
        <translation>问题（训练数据）</translation>
    </message>
    <message>
        <source>Context tokens</source>
        <translation>上下文词元数</translation>
    </message>
    <message>
        <source>Window length</source>
        <translation>窗口长度</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>The question asked about the context.</source>
        <translation>针对上下文提出的问题。</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>The passage that holds the answer; long ones are read in overlapping windows.</source>
        <translation>包含答案的段落；较长的段落会按重叠窗口读取。</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>The answer, copied from the context; empty for an unanswerable question. A JSON list of answers, or {&quot;text&quot;: [...], &quot;answer_start&quot;: [...]} as datasets&apos; SQuAD has it, works too.</source>
        <translation>从上下文中复制的答案；无法回答的问题留空。也可以是答案的 JSON 列表，或 datasets 中 SQuAD 的 {&quot;text&quot;: [...], &quot;answer_start&quot;: [...]} 格式。</translation>
    </message>
    <message>
        <source>Answer start</source>
        <translation>答案起始位置</translation>
    </message>
    <message>
        <source>The answer&apos;s character position in the context (optional: without it the answer is found in the context, at its first occurrence).</source>
        <translation>答案在上下文中的字符位置（可选：缺省时取答案在上下文中第一次出现的位置）。</translation>
    </message>
    <message>
        <source>Translation / summarization (sequence to sequence)</source>
        <translation>翻译 / 摘要（序列到序列）</translation>
    </message>
    <message>
        <source>Teach an encoder-decoder model (T5, BART, Marian…) to turn a source text into a target text: a translation, a summary, a rewrite. Needs a source and a target column; T5 models also want a task prefix such as &apos;summarize: &apos;.</source>
        <translation>教编码器-解码器模型（T5、BART、Marian…）把源文本转换成目标文本：翻译、摘要、改写。需要一个源文本列和一个目标文本列；T5 模型还需要任务前缀，例如 &apos;summarize: &apos;。</translation>
    </message>
    <message>
        <source>Choose an encoder-decoder model: T5 or Flan-T5, mT5, BART, Marian (opus-mt), Pegasus, M2M100/NLLB. For a decoder such as GPT-2, Llama or Qwen, use causal language model fine-tuning with prompt and response columns instead.</source>
        <translation>请选择编码器-解码器模型：T5 或 Flan-T5、mT5、BART、Marian（opus-mt）、Pegasus、M2M100/NLLB。对于 GPT-2、Llama、Qwen 等解码器，请改用因果语言模型微调，并使用提示列和回复列。</translation>
    </message>
    <message>
        <source>Source tokens</source>
        <translation>源文本词元数</translation>
    </message>
    <message>
        <source>Max source length</source>
        <translation>最大源文本长度</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源文本</translation>
    </message>
    <message>
        <source>The text to translate or summarize (the model&apos;s input).</source>
        <translation>要翻译或摘要的文本（模型的输入）。</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标文本</translation>
    </message>
    <message>
        <source>The translation or summary the model should learn to write.</source>
        <translation>模型应学会写出的译文或摘要。</translation>
    </message>
    <message>
        <source>Image classification</source>
        <translation>图像分类</translation>
    </message>
    <message>
        <source>Assign one class to each image (product photos, scans, plants). Needs a folder with one subfolder per class, or a table of image paths and labels.</source>
        <translation>为每张图片分配一个类别（商品照片、扫描件、植物）。需要一个每个类别一个子文件夹的文件夹，或一个包含图片路径和标签的表格。</translation>
    </message>
    <message>
        <source>Choose a vision model with an image-classification head: ViT, DeiT, BEiT, Swin or ConvNeXt (google/vit-base-patch16-224, facebook/convnext-tiny-224).</source>
        <translation>请选择带图像分类头的视觉模型：ViT、DeiT、BEiT、Swin 或 ConvNeXt（google/vit-base-patch16-224、facebook/convnext-tiny-224）。</translation>
    </message>
    <message>
        <source>Images per class (training)</source>
        <translation>每类图片数（训练数据）</translation>
    </message>
    <message>
        <source>Folder of images…</source>
        <translation>图片文件夹…</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Each image&apos;s file path, relative to the table&apos;s folder or absolute. A folder with one subfolder per class needs no columns.</source>
        <translation>每张图片的文件路径，相对于表格所在文件夹或绝对路径。每个类别一个子文件夹的文件夹不需要指定列。</translation>
    </message>
    <message>
        <source>The class of each image (text or number).</source>
        <translation>每张图片的类别（文本或数字）。</translation>
    </message>
    <message>
        <source>Causal language model fine-tuning</source>
        <translation>因果语言模型微调</translation>
    </message>
    <message>
        <source>Teach a decoder (GPT-2, Llama, Qwen…) to answer: conversations (OpenAI messages, ShareGPT), Alpaca instructions, or prompt and response columns; the loss is on the assistant&apos;s replies.</source>
        <translation>教解码器（GPT-2、Llama、Qwen…）作答：对话（OpenAI messages、ShareGPT）、Alpaca 指令，或提示列与回复列；损失只计算在助手的回复上。</translation>
    </message>
    <message>
        <source>Choose a decoder model such as GPT-2, Llama, Qwen, Mistral or Phi.</source>
        <translation>请选择 GPT-2、Llama、Qwen、Mistral 或 Phi 等解码器模型。</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>A column of whole conversations (lists of turns); leave empty to use prompt and response columns.</source>
        <translation>一列完整的对话（轮次列表）；留空则使用提示列和回复列。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>What the model is given (Alpaca: the instruction).</source>
        <translation>提供给模型的内容（Alpaca：指令）。</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>What the model should learn to write; the loss is computed on these tokens only.</source>
        <translation>模型应学会写出的内容；损失只在这些词元上计算。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Optional extra input put after the prompt (Alpaca&apos;s input column).</source>
        <translation>可选的额外输入，放在提示之后（Alpaca 的 input 列）。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Optional per-row system prompt.</source>
        <translation>可选的逐行系统提示词。</translation>
    </message>
    <message>
        <source>Preference tuning (DPO, ORPO, SimPO)</source>
        <translation>偏好调优（DPO、ORPO、SimPO）</translation>
    </message>
    <message>
        <source>Teach a chat model which of two answers people prefer: rows with a prompt, a chosen and a rejected answer (or TRL&apos;s conversational pairs). DPO keeps the model close to where it started; ORPO and SimPO need no reference. Best after chat fine-tuning.</source>
        <translation>教对话模型分辨人们更喜欢两个回答中的哪一个：每行包含提示、被选中的回答和被拒绝的回答（或 TRL 的对话式样本对）。DPO 让模型保持接近起点；ORPO 和 SimPO 不需要参考模型。最好在对话微调之后使用。</translation>
    </message>
    <message>
        <source>What the model is given: text, or the conversation so far (a list of turns ending with the user&apos;s). Leave empty when the chosen and rejected columns hold whole conversations.</source>
        <translation>提供给模型的内容：文本，或到目前为止的对话（以用户发言结尾的轮次列表）。如果选中列和拒绝列包含完整对话，请留空。</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>选中</translation>
    </message>
    <message>
        <source>The answer people preferred: text, or a conversation whose last turn is the assistant&apos;s.</source>
        <translation>人们更喜欢的回答：文本，或最后一轮为助手发言的对话。</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>The answer people rejected for the same prompt.</source>
        <translation>人们针对同一提示拒绝的回答。</translation>
    </message>
    <message>
        <source>Pretrain (continue)</source>
        <translation>预训练（继续）</translation>
    </message>
    <message>
        <source>Adapt the chosen model to your domain&apos;s language with unlabeled text: masked-word prediction for encoders, next-word prediction for decoders. Fine-tune the result afterwards.</source>
        <translation>用无标注文本让所选模型适应你所在领域的语言：编码器做掩码词预测，解码器做下一个词预测。之后再对结果进行微调。</translation>
    </message>
    <message>
        <source>Choose an encoder (BERT, RoBERTa…) for masked-word pretraining or a decoder (GPT-2, Llama, Qwen…) for next-word pretraining, or pretrain a new model from scratch.</source>
        <translation>请选择编码器（BERT、RoBERTa…）做掩码词预训练，或解码器（GPT-2、Llama、Qwen…）做下一个词预训练，也可以从零预训练一个新模型。</translation>
    </message>
    <message>
        <source>Tokens per text</source>
        <translation>每段文本词元数</translation>
    </message>
    <message>
        <source>Folder of .txt…</source>
        <translation>.txt 文件夹…</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>The unlabeled text to learn the language of.</source>
        <translation>用来学习语言的无标注文本。</translation>
    </message>
    <message>
        <source>Pretrain a new encoder from scratch</source>
        <translation>从零预训练新的编码器</translation>
    </message>
    <message>
        <source>Train a tokenizer and a BERT-style model (random weights) on your unlabeled text; no pretrained model needed. Then fine-tune it with a few labeled examples.</source>
        <translation>在你的无标注文本上训练一个分词器和一个 BERT 风格的模型（随机初始化权重），不需要预训练模型。然后用少量有标注的样本微调它。</translation>
    </message>
    <message>
        <source>Pretrain a new decoder from scratch</source>
        <translation>从零预训练新的解码器</translation>
    </message>
    <message>
        <source>Train a tokenizer and a Llama-style model on your text to continue writing it.</source>
        <translation>在你的文本上训练一个分词器和一个 Llama 风格的模型，让它学会续写。</translation>
    </message>
    <message>
        <source>Type some text and press Enter</source>
        <translation>输入一些文本并按回车</translation>
    </message>
    <message>
        <source>Type a prompt and press Enter</source>
        <translation>输入提示并按回车</translation>
    </message>
    <message>
        <source>The second text of the pair</source>
        <translation>文本对中的第二段</translation>
    </message>
    <message>
        <source>Image file</source>
        <translation>图片文件</translation>
    </message>
    <message>
        <source>Choose an image file</source>
        <translation>选择图片文件</translation>
    </message>
    <message>
        <source>The first text of the pair</source>
        <translation>文本对中的第一段</translation>
    </message>
    <message>
        <source>Type the start of a text; the model continues it</source>
        <translation>输入一段文本的开头，模型会续写</translation>
    </message>
    <message>
        <source>Type a sentence with [MASK] where a word should be guessed, e.g. &apos;the movie was [MASK] .&apos;</source>
        <translation>输入一个句子，在要猜的词的位置写 [MASK]，例如 &apos;the movie was [MASK] .&apos;</translation>
    </message>
    <message>
        <source>Ask a question about the context</source>
        <translation>针对上下文提一个问题</translation>
    </message>
    <message>
        <source>Paste the passage that holds the answer</source>
        <translation>粘贴包含答案的段落</translation>
    </message>
    <message>
        <source>Source text</source>
        <translation>源文本</translation>
    </message>
    <message>
        <source>Type a text to translate or summarize and press Enter</source>
        <translation>输入要翻译或摘要的文本并按回车</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Beams</source>
        <translation>束宽</translation>
    </message>
    <message>
        <source>Type a sentence and press Enter: the entities found are highlighted</source>
        <translation>输入一个句子并按回车：找到的实体会被高亮</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>A local Hugging Face model folder, or a model id on the Hugging Face hub (for example &apos;bert-base-uncased&apos;), which is downloaded once and cached.</source>
        <translation>本地的 Hugging Face 模型文件夹，或 Hugging Face Hub 上的模型 ID（例如 &apos;bert-base-uncased&apos;），只下载一次并缓存。</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Hub revision (branch, tag or commit) to download; empty means the default branch.</source>
        <translation>要下载的 Hub 版本（分支、标签或提交）；留空表示默认分支。</translation>
    </message>
    <message>
        <source>Trust remote code</source>
        <translation>信任远程代码</translation>
    </message>
    <message>
        <source>Run Python code shipped with the model. Only turn this on for models you trust.</source>
        <translation>运行模型附带的 Python 代码。只对你信任的模型开启。</translation>
    </message>
    <message>
        <source>Start from run</source>
        <translation>从运行开始</translation>
    </message>
    <message>
        <source>A finished run (its folder) whose trained weights this run starts from: &apos;Train more&apos;. Its adapter keeps training with LoRA; full weights are the starting point of any method. The base model and the labels must be the run&apos;s.</source>
        <translation>一个已完成的运行（其文件夹），本运行从它训练好的权重开始：“继续训练”。其适配器会继续用 LoRA 训练；完整权重可作为任何方法的起点。基础模型和标签必须与该运行相同。</translation>
    </message>
    <message>
        <source>the pretrained model itself</source>
        <translation>预训练模型本身</translation>
    </message>
    <message>
        <source>Training file</source>
        <translation>训练文件</translation>
    </message>
    <message>
        <source>The training data: a CSV, TSV, JSON Lines or Parquet file.</source>
        <translation>训练数据：CSV、TSV、JSON Lines 或 Parquet 文件。</translation>
    </message>
    <message>
        <source>Validation file</source>
        <translation>验证文件</translation>
    </message>
    <message>
        <source>Optional separate validation file. When empty, a share of the training file is held out instead.</source>
        <translation>可选的单独验证文件。留空时，会从训练文件中留出一部分作为验证数据。</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Column with the text (to classify, to score, or to learn the language of).</source>
        <translation>包含文本的列（用于分类、打分或学习语言）。</translation>
    </message>
    <message>
        <source>Second text column</source>
        <translation>第二文本列</translation>
    </message>
    <message>
        <source>Optional second text column for pair tasks (question/answer, premise/hypothesis).</source>
        <translation>文本对任务可选的第二文本列（问题/答案、前提/假设）。</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Column with the label: a class (text or number), several separated labels for multi-label, a number for regression.</source>
        <translation>包含标签的列：类别（文本或数字）、多标签任务中用分隔符分开的多个标签、回归任务中的数值。</translation>
    </message>
    <message>
        <source>Prompt column</source>
        <translation>提示列</translation>
    </message>
    <message>
        <source>Column with the prompt (what the model is given).</source>
        <translation>包含提示的列（提供给模型的内容）。</translation>
    </message>
    <message>
        <source>Response column</source>
        <translation>回复列</translation>
    </message>
    <message>
        <source>Column with the response the model should learn to write; the loss is computed on these tokens only.</source>
        <translation>包含模型应学会写出的回复的列；损失只在这些词元上计算。</translation>
    </message>
    <message>
        <source>Label separator</source>
        <translation>标签分隔符</translation>
    </message>
    <message>
        <source>Multi-label: the character between labels in one cell (&apos;sports;politics&apos;); empty means detect it (one of , ; | and space).</source>
        <translation>多标签：同一单元格中标签之间的字符（&apos;sports;politics&apos;）；留空表示自动检测（, ; | 和空格之一）。</translation>
    </message>
    <message>
        <source>detect it</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>Multi-label: several 0/1 columns, one per label, instead of one column of separated labels.</source>
        <translation>多标签：多个 0/1 列，每个标签一列，代替一个用分隔符分开的标签列。</translation>
    </message>
    <message>
        <source>one label column</source>
        <translation>一个标签列</translation>
    </message>
    <message>
        <source>Tokens column</source>
        <translation>词元列</translation>
    </message>
    <message>
        <source>Named entities: the column holding each sentence&apos;s tokens (a list, as JSON Lines files have it). A CoNLL-style file (token first, tag last) needs no column names.</source>
        <translation>命名实体：包含每个句子词元的列（列表，如 JSON Lines 文件中那样）。CoNLL 格式的文件（词元在前，标记在后）不需要列名。</translation>
    </message>
    <message>
        <source>Tags column</source>
        <translation>标记列</translation>
    </message>
    <message>
        <source>Named entities: the column holding one tag per token (IOB1, IOB2 or BIOES, such as B-PER, I-PER, O).</source>
        <translation>命名实体：每个词元一个标记的列（IOB1、IOB2 或 BIOES，例如 B-PER、I-PER、O）。</translation>
    </message>
    <message>
        <source>Entity spans column</source>
        <translation>实体区间列</translation>
    </message>
    <message>
        <source>Named entities from a CSV: the column holding character spans of the text, as JSON [[start, end, &quot;TYPE&quot;], …] or [{&quot;start&quot;:…, &quot;end&quot;:…, &quot;label&quot;:…}].</source>
        <translation>来自 CSV 的命名实体：包含文本字符区间的列，格式为 JSON [[start, end, &quot;TYPE&quot;], …] 或 [{&quot;start&quot;:…, &quot;end&quot;:…, &quot;label&quot;:…}]。</translation>
    </message>
    <message>
        <source>Question column</source>
        <translation>问题列</translation>
    </message>
    <message>
        <source>Question answering: the column with the question.</source>
        <translation>问答：包含问题的列。</translation>
    </message>
    <message>
        <source>Context column</source>
        <translation>上下文列</translation>
    </message>
    <message>
        <source>Question answering: the column with the passage the answer is found in.</source>
        <translation>问答：包含答案所在段落的列。</translation>
    </message>
    <message>
        <source>Answer column</source>
        <translation>答案列</translation>
    </message>
    <message>
        <source>Question answering: the column with the answer text, copied from the context (empty for an unanswerable question).</source>
        <translation>问答：包含答案文本的列，答案从上下文中复制（无法回答的问题留空）。</translation>
    </message>
    <message>
        <source>Answer start column</source>
        <translation>答案起始位置列</translation>
    </message>
    <message>
        <source>Question answering: the column with the answer&apos;s character position in the context; empty means find the answer text in the context.</source>
        <translation>问答：包含答案在上下文中字符位置的列；留空表示在上下文中查找答案文本。</translation>
    </message>
    <message>
        <source>find the answer in the context</source>
        <translation>在上下文中查找答案</translation>
    </message>
    <message>
        <source>Source column</source>
        <translation>源文本列</translation>
    </message>
    <message>
        <source>Sequence to sequence: the text to translate or summarize.</source>
        <translation>序列到序列：要翻译或摘要的文本。</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标文本列</translation>
    </message>
    <message>
        <source>Sequence to sequence: the translation or summary to learn.</source>
        <translation>序列到序列：要学习的译文或摘要。</translation>
    </message>
    <message>
        <source>Conversation column</source>
        <translation>对话列</translation>
    </message>
    <message>
        <source>Chat: the column holding each conversation as a list of turns, OpenAI-style (&apos;messages&apos; with role/content) or ShareGPT-style (&apos;conversations&apos; with from/value). Empty: prompt and response columns instead (Alpaca&apos;s instruction/input/output too).</source>
        <translation>对话：以轮次列表形式保存每段对话的列，OpenAI 风格（带 role/content 的 &apos;messages&apos;）或 ShareGPT 风格（带 from/value 的 &apos;conversations&apos;）。留空：改用提示列和回复列（也支持 Alpaca 的 instruction/input/output）。</translation>
    </message>
    <message>
        <source>prompt and response columns</source>
        <translation>提示列和回复列</translation>
    </message>
    <message>
        <source>System prompt column</source>
        <translation>系统提示词列</translation>
    </message>
    <message>
        <source>Chat: an optional column with each row&apos;s system prompt; it overrides the default system prompt.</source>
        <translation>对话：可选的列，包含每行的系统提示词；它会覆盖默认的系统提示词。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Input column</source>
        <translation>输入列</translation>
    </message>
    <message>
        <source>Chat, Alpaca layout: an optional column with extra input, put after the instruction (the prompt column) in the user&apos;s turn.</source>
        <translation>对话，Alpaca 格式：可选的额外输入列，在用户发言中放在指令（提示列）之后。</translation>
    </message>
    <message>
        <source>Chosen column</source>
        <translation>选中列</translation>
    </message>
    <message>
        <source>Preference tuning: the response people preferred (text, or a conversation whose last turn is the assistant&apos;s).</source>
        <translation>偏好调优：人们更喜欢的回复（文本，或最后一轮为助手发言的对话）。</translation>
    </message>
    <message>
        <source>Rejected column</source>
        <translation>拒绝列</translation>
    </message>
    <message>
        <source>Preference tuning: the response people rejected for the same prompt.</source>
        <translation>偏好调优：人们针对同一提示拒绝的回复。</translation>
    </message>
    <message>
        <source>Image column</source>
        <translation>图片列</translation>
    </message>
    <message>
        <source>Image classification from a table: the column with each image&apos;s path (relative to the table&apos;s folder, or absolute). A folder with one subfolder per class needs no columns.</source>
        <translation>基于表格的图像分类：包含每张图片路径的列（相对于表格所在文件夹或绝对路径）。每个类别一个子文件夹的文件夹不需要指定列。</translation>
    </message>
    <message>
        <source>Validation text column</source>
        <translation>验证文本列</translation>
    </message>
    <message>
        <source>Text column of the validation file, when it is named differently from the training file&apos;s. Empty means the same name, or the only text column there.</source>
        <translation>验证文件中的文本列（当它与训练文件中的列名不同时）。留空表示同名，或该文件中唯一的文本列。</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Share of the training rows held out for validation when there is no validation file (stratified by label for classification).</source>
        <translation>没有验证文件时，从训练数据中留出用于验证的比例（分类任务按标签分层抽样）。</translation>
    </message>
    <message>
        <source>Row limit</source>
        <translation>行数上限</translation>
    </message>
    <message>
        <source>Use at most this many training rows (0 = all). Handy for a quick first run.</source>
        <translation>最多使用这么多行训练数据（0 = 全部）。适合快速试跑。</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <source>Field delimiter for CSV/TSV files; empty means detect it.</source>
        <translation>CSV/TSV 文件的字段分隔符；留空表示自动检测。</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Text encoding of the file; empty means detect it (UTF-8, UTF-8 with BOM, then Windows-1252).</source>
        <translation>文件的文本编码；留空表示自动检测（依次尝试 UTF-8、带 BOM 的 UTF-8、Windows-1252）。</translation>
    </message>
    <message>
        <source>First row is a header</source>
        <translation>首行为表头</translation>
    </message>
    <message>
        <source>Whether the first row of a CSV/TSV file holds the column names: &apos;auto&apos; detects it, &apos;yes&apos; and &apos;no&apos; decide. Spreadsheet exports whose first row ends in empty cells are detected too.</source>
        <translation>CSV/TSV 文件的首行是否为列名：&apos;auto&apos; 自动检测，&apos;yes&apos; 和 &apos;no&apos; 直接指定。首行以空单元格结尾的电子表格导出文件也能被检测到。</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>What the model learns: &apos;classification&apos;; &apos;pair-classification&apos;; &apos;multi-label&apos;; &apos;regression&apos;; &apos;token-classification&apos;; &apos;question-answering&apos;; &apos;seq2seq&apos;; &apos;image-classification&apos;; &apos;causal-lm&apos;; &apos;preference&apos;; &apos;pretrain&apos;. `pft-desktop tasks` describes each and the columns it reads.</source>
        <translation>模型要学习的内容：&apos;classification&apos;、&apos;pair-classification&apos;、&apos;multi-label&apos;、&apos;regression&apos;、&apos;token-classification&apos;、&apos;question-answering&apos;、&apos;seq2seq&apos;、&apos;image-classification&apos;、&apos;causal-lm&apos;、&apos;preference&apos;、&apos;pretrain&apos;。`pft-desktop tasks` 会介绍每种任务及其读取的列。</translation>
    </message>
    <message>
        <source>Longest input in tokens; longer texts are truncated. Batches are padded only to their own longest text, so a generous value costs little. When pretraining, this is the block size: texts are joined and cut into blocks of exactly this many tokens.</source>
        <translation>输入的最大词元数；更长的文本会被截断。每个批次只填充到该批次中最长的文本，所以设大一些代价不高。预训练时这就是块大小：文本会被拼接并切成恰好这么多词元的块。</translation>
    </message>
    <message>
        <source>Max target length</source>
        <translation>最大目标长度</translation>
    </message>
    <message>
        <source>Sequence to sequence: the longest target in tokens, in training and when generating.</source>
        <translation>序列到序列：目标文本的最大词元数，训练和生成时都适用。</translation>
    </message>
    <message>
        <source>Source prefix</source>
        <translation>源文本前缀</translation>
    </message>
    <message>
        <source>Sequence to sequence: text put before every source, as T5-style models expect (&apos;summarize: &apos;, &apos;translate English to German: &apos;).</source>
        <translation>序列到序列：放在每段源文本之前的文本，T5 风格的模型需要它（&apos;summarize: &apos;、&apos;translate English to German: &apos;）。</translation>
    </message>
    <message>
        <source>Context overlap</source>
        <translation>上下文重叠</translation>
    </message>
    <message>
        <source>Question answering: tokens shared by consecutive windows when a context is longer than the maximum length.</source>
        <translation>问答：当上下文超过最大长度时，相邻窗口之间共享的词元数。</translation>
    </message>
    <message>
        <source>Chat: the system prompt of every conversation that has none of its own, in training and in the try box.</source>
        <translation>对话：对所有没有自带系统提示词的对话使用的系统提示词，训练和试用框中都适用。</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>Chat: how conversations are written as text. Empty uses the model&apos;s own template (from its tokenizer); a model without one needs a choice: &apos;chatml&apos; (Qwen-style &lt;|im_start|&gt; turns), &apos;llama3&apos;, &apos;zephyr&apos; or &apos;plain&apos; (User:/Assistant: lines).</source>
        <translation>对话：对话如何写成文本。留空则使用模型自带的模板（来自其分词器）；没有模板的模型需要选择一个：&apos;chatml&apos;（Qwen 风格的 &lt;|im_start|&gt; 轮次）、&apos;llama3&apos;、&apos;zephyr&apos; 或 &apos;plain&apos;（User:/Assistant: 行）。</translation>
    </message>
    <message>
        <source>the model&apos;s own</source>
        <translation>模型自带</translation>
    </message>
    <message>
        <source>Train on all tokens</source>
        <translation>在所有词元上训练</translation>
    </message>
    <message>
        <source>Chat: learn every token (system, user and assistant turns) instead of the assistant&apos;s turns only.</source>
        <translation>对话：学习所有词元（系统、用户和助手的发言），而不仅是助手的发言。</translation>
    </message>
    <message>
        <source>Pack short examples</source>
        <translation>打包短样本</translation>
    </message>
    <message>
        <source>Language modelling: pack several short examples into each row of a batch, with no attention across them, so no compute is spent on padding.</source>
        <translation>语言建模：把多个短样本打包进批次的每一行，样本之间不做注意力计算，这样不会在填充上浪费算力。</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>How much of the model is trained: &apos;full&apos; updates every weight; &apos;freeze&apos; trains the head (and the top layers you choose); &apos;lora&apos; trains small adapter matrices; &apos;qlora-4bit&apos;/&apos;qlora-8bit&apos; do LoRA on a quantized model to save memory.</source>
        <translation>训练模型的哪些部分：&apos;full&apos; 更新所有权重；&apos;freeze&apos; 训练输出头（以及你选择的顶部几层）；&apos;lora&apos; 训练小型适配器矩阵；&apos;qlora-4bit&apos;/&apos;qlora-8bit&apos; 在量化模型上做 LoRA 以节省内存。</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <source>LoRA rank: the size of the adapter matrices. 8-16 suits most tasks; higher learns more and costs more.</source>
        <translation>LoRA 秩：适配器矩阵的大小。8-16 适合大多数任务；越高学得越多，代价也越大。</translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation>LoRA alpha</translation>
    </message>
    <message>
        <source>LoRA scaling; the adapter update is scaled by alpha/rank. Twice the rank is a common choice.</source>
        <translation>LoRA 缩放；适配器更新按 alpha/秩 缩放。常用的取值是秩的两倍。</translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation>LoRA dropout</translation>
    </message>
    <message>
        <source>Dropout on the adapter&apos;s input during training.</source>
        <translation>训练时对适配器输入施加的 dropout。</translation>
    </message>
    <message>
        <source>LoRA target modules</source>
        <translation>LoRA 目标模块</translation>
    </message>
    <message>
        <source>Module names to adapt (for example q_proj, v_proj). Empty means the usual choice for this architecture.</source>
        <translation>要适配的模块名称（例如 q_proj、v_proj）。留空表示使用该架构的常用选择。</translation>
    </message>
    <message>
        <source>the usual layers for this architecture</source>
        <translation>该架构的常用层</translation>
    </message>
    <message>
        <source>DoRA</source>
        <translation>DoRA</translation>
    </message>
    <message>
        <source>LoRA: weight-decomposed adapters (DoRA), learning magnitude and direction apart; often better at low ranks, slower per step.</source>
        <translation>LoRA：权重分解适配器（DoRA），分别学习幅度和方向；在低秩时往往效果更好，每步更慢。</translation>
    </message>
    <message>
        <source>rsLoRA</source>
        <translation>rsLoRA</translation>
    </message>
    <message>
        <source>LoRA: scale the update by alpha/sqrt(rank) instead of alpha/rank (rank-stabilized), so high ranks keep learning.</source>
        <translation>LoRA：按 alpha/sqrt(秩) 而不是 alpha/秩 缩放更新（秩稳定），使高秩时也能持续学习。</translation>
    </message>
    <message>
        <source>Train word embeddings</source>
        <translation>训练词嵌入</translation>
    </message>
    <message>
        <source>Full fine-tuning for classification, tagging and question answering: train the word embeddings too. Turning it off leaves them as pretrained: they are about half of a small encoder&apos;s weights. Keep it on for a model whose embeddings were not well pretrained. Language modelling always trains them.</source>
        <translation>分类、标注和问答的全量微调：同时训练词嵌入。关闭后词嵌入保持预训练时的值：它们约占小型编码器权重的一半。如果模型的词嵌入没有充分预训练，请保持开启。语言建模总是训练词嵌入。</translation>
    </message>
    <message>
        <source>Number format for training: &apos;auto&apos; uses bf16 on GPUs that support it and fp32 otherwise (on a CPU with bf16 instructions, fp32 with bf16 matrix products: see CPU speed-ups); fp16 needs a CUDA GPU.</source>
        <translation>训练使用的数值格式：“auto”在支持 bf16 的 GPU 上使用 bf16，否则使用 fp32（在带 bf16 指令的 CPU 上为 fp32，矩阵乘法用 bf16：见“CPU 加速”）；fp16 需要 CUDA GPU。</translation>
    </message>
    <message>
        <source>CPU speed-ups</source>
        <translation>CPU 加速</translation>
    </message>
    <message>
        <source>Training on a CPU: draw dropout masks with numpy&apos;s faster generator; in BERT-family classifiers, leave padding and the last layer&apos;s unread tokens out of the arithmetic; with precision &apos;auto&apos; on a CPU with bf16 instructions, multiply matrices in bf16 with fp32 sums. Faster to the same accuracy (benchmarks/bench_time_to_accuracy.py); off trains as a plain Trainer script does, number for number.</source>
        <translation>在 CPU 上训练时：用 numpy 更快的随机数生成器生成 dropout 掩码；在 BERT 系列分类模型中，计算时略去填充位置和最后一层中不被读取的词元；精度为“auto”且 CPU 带 bf16 指令时，矩阵乘法用 bf16、以 fp32 累加。以更短的时间达到相同的准确率（benchmarks/bench_time_to_accuracy.py）；关闭后与普通 Trainer 脚本的计算逐数一致。</translation>
    </message>
    <message>
        <source>Trainable top layers</source>
        <translation>可训练的顶部层数</translation>
    </message>
    <message>
        <source>With &apos;freeze&apos;: also train this many of the top transformer layers besides the head.</source>
        <translation>使用 &apos;freeze&apos; 时：除输出头外，还训练顶部这么多个 Transformer 层。</translation>
    </message>
    <message>
        <source>head only</source>
        <translation>仅输出头</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <source>Recompute activations in the backward pass: much less memory, about 30% slower.</source>
        <translation>在反向传播时重新计算激活：内存大幅减少，速度约慢 30%。</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Passes over the training data.</source>
        <translation>遍历训练数据的次数。</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>Stop after this many optimizer steps; overrides epochs when above 0.</source>
        <translation>在这么多个优化器步之后停止；大于 0 时覆盖轮数。</translation>
    </message>
    <message>
        <source>from epochs</source>
        <translation>由轮数决定</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Examples per step on the device.</source>
        <translation>每步在设备上处理的样本数。</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <source>Add up gradients over this many batches before each update: a larger effective batch without more memory.</source>
        <translation>每次更新前累加这么多个批次的梯度：在不增加内存的情况下获得更大的有效批大小。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Step size of the optimizer. LoRA likes 1e-4 to 5e-4; full fine-tuning 1e-5 to 5e-5. Pretraining starts at 1e-4 when it continues a pretrained model (a larger step overwrites what its weights know) and at 1e-3 for a new model from scratch.</source>
        <translation>优化器的步长。LoRA 适合 1e-4 到 5e-4；全量微调适合 1e-5 到 5e-5。继续预训练已有模型时从 1e-4 开始（步长更大会覆盖其权重已学到的知识），从零预训练新模型时从 1e-3 开始。</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>L2-style decay applied by AdamW.</source>
        <translation>AdamW 施加的 L2 式衰减。</translation>
    </message>
    <message>
        <source>Warmup share</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <source>Share of the steps spent ramping the learning rate up from zero.</source>
        <translation>学习率从零逐渐升高所占的步数比例。</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>调度方式</translation>
    </message>
    <message>
        <source>How the learning rate changes after warmup.</source>
        <translation>预热之后学习率如何变化。</translation>
    </message>
    <message>
        <source>Gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <source>Clip gradients to this norm (0 = no clipping).</source>
        <translation>把梯度裁剪到这个范数（0 = 不裁剪）。</translation>
    </message>
    <message>
        <source>no clipping</source>
        <translation>不裁剪</translation>
    </message>
    <message>
        <source>Evaluate every</source>
        <translation>评估间隔</translation>
    </message>
    <message>
        <source>Evaluate every N steps (0 = once per epoch).</source>
        <translation>每 N 步评估一次（0 = 每轮一次）。</translation>
    </message>
    <message>
        <source>once per epoch</source>
        <translation>每轮一次</translation>
    </message>
    <message>
        <source>Rows evaluated during training</source>
        <translation>训练中评估的行数</translation>
    </message>
    <message>
        <source>Evaluate on at most this many validation rows during training (a fixed random sample; 0 = all). The final evaluation always uses every row.</source>
        <translation>训练过程中最多在这么多行验证数据上评估（固定的随机样本；0 = 全部）。最终评估总是使用所有行。</translation>
    </message>
    <message>
        <source>all rows</source>
        <translation>所有行</translation>
    </message>
    <message>
        <source>Checkpoint every</source>
        <translation>检查点间隔</translation>
    </message>
    <message>
        <source>Save a checkpoint every N steps (0 = once per epoch). The best checkpoint is always kept.</source>
        <translation>每 N 步保存一个检查点（0 = 每轮一次）。最佳检查点始终保留。</translation>
    </message>
    <message>
        <source>Checkpoints kept</source>
        <translation>保留的检查点数</translation>
    </message>
    <message>
        <source>Keep at most this many checkpoints besides the best.</source>
        <translation>除最佳检查点外，最多保留这么多个检查点。</translation>
    </message>
    <message>
        <source>Log every</source>
        <translation>日志间隔</translation>
    </message>
    <message>
        <source>Report training loss every N steps.</source>
        <translation>每 N 步报告一次训练损失。</translation>
    </message>
    <message>
        <source>Early stopping patience</source>
        <translation>早停耐心值</translation>
    </message>
    <message>
        <source>Stop when the chosen metric has not improved for this many evaluations (0 = off).</source>
        <translation>所选指标连续这么多次评估没有改善时停止（0 = 关闭）。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Best-model metric</source>
        <translation>最佳模型指标</translation>
    </message>
    <message>
        <source>Metric that picks the best checkpoint and drives early stopping, for example &apos;eval_f1&apos; or &apos;eval_loss&apos;. Empty means eval_f1 for classification, eval_loss otherwise.</source>
        <translation>用于挑选最佳检查点和决定早停的指标，例如 &apos;eval_f1&apos; 或 &apos;eval_loss&apos;。留空表示分类任务用 eval_f1，其他任务用 eval_loss。</translation>
    </message>
    <message>
        <source>eval_f1 for classification, eval_loss otherwise</source>
        <translation>分类用 eval_f1，其他用 eval_loss</translation>
    </message>
    <message>
        <source>NEFTune noise</source>
        <translation>NEFTune 噪声</translation>
    </message>
    <message>
        <source>Language modelling: add uniform noise of this scale to the input embeddings while training (NEFTune; 5 is the paper&apos;s value), which often helps instruction tuning.</source>
        <translation>语言建模：训练时向输入嵌入添加这个尺度的均匀噪声（NEFTune；论文取值为 5），通常有助于指令微调。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random seed: the same seed, data and settings give the same run.</source>
        <translation>随机种子：相同的种子、数据和设置会得到相同的运行结果。</translation>
    </message>
    <message>
        <source>New model</source>
        <translation>新模型</translation>
    </message>
    <message>
        <source>Empty: continue pretraining the chosen model. &apos;encoder&apos; (BERT-style, masked language modelling) or &apos;decoder&apos; (Llama-style, next-token prediction): build a new model with random weights and a tokenizer trained on your text.</source>
        <translation>留空：继续预训练所选模型。&apos;encoder&apos;（BERT 风格，掩码语言建模）或 &apos;decoder&apos;（Llama 风格，下一个词元预测）：构建一个随机权重的新模型，并在你的文本上训练分词器。</translation>
    </message>
    <message>
        <source>Model size</source>
        <translation>模型大小</translation>
    </message>
    <message>
        <source>Size preset of a new model: tiny (quick experiments), small, or base (BERT-base sized; needs a GPU to train in reasonable time).</source>
        <translation>新模型的大小预设：tiny（快速实验）、small 或 base（BERT-base 大小；需要 GPU 才能在合理时间内训练完）。</translation>
    </message>
    <message>
        <source>Vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Vocabulary size of the tokenizer trained for a new model; 0 suggests one from the size of the corpus.</source>
        <translation>为新模型训练的分词器的词表大小；0 表示根据语料规模给出建议值。</translation>
    </message>
    <message>
        <source>suggest from the corpus</source>
        <translation>根据语料建议</translation>
    </message>
    <message>
        <source>Masking rate</source>
        <translation>掩码比例</translation>
    </message>
    <message>
        <source>Share of tokens an encoder learns to predict; of those, 80% are replaced by the mask token, 10% by a random token and 10% left as they are.</source>
        <translation>编码器要学习预测的词元比例；其中 80% 替换为掩码词元，10% 替换为随机词元，10% 保持不变。</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <source>Custom width of a new model (0 = from the size preset); a multiple of the number of heads.</source>
        <translation>新模型的自定义宽度（0 = 按大小预设）；必须是注意力头数的倍数。</translation>
    </message>
    <message>
        <source>from the size</source>
        <translation>按大小预设</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Custom depth of a new model (0 = from the size preset).</source>
        <translation>新模型的自定义深度（0 = 按大小预设）。</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Custom attention heads of a new model (0 = from the size preset).</source>
        <translation>新模型的自定义注意力头数（0 = 按大小预设）。</translation>
    </message>
    <message>
        <source>Preference method</source>
        <translation>偏好方法</translation>
    </message>
    <message>
        <source>Preference tuning: &apos;dpo&apos; (Direct Preference Optimization, against a frozen copy of the starting model), &apos;orpo&apos; (odds-ratio, no reference model, learns the chosen answers at the same time) or &apos;simpo&apos; (length-normalized, no reference model).</source>
        <translation>偏好调优：&apos;dpo&apos;（直接偏好优化，以冻结的起始模型副本为参照）、&apos;orpo&apos;（几率比，无需参考模型，同时学习被选中的回答）或 &apos;simpo&apos;（长度归一化，无需参考模型）。</translation>
    </message>
    <message>
        <source>Beta</source>
        <translation>Beta</translation>
    </message>
    <message>
        <source>How strongly the model is held to its reference (DPO) or how sharp the preference margin is (ORPO&apos;s lambda, SimPO&apos;s beta). 0.1 is the usual DPO value; SimPO uses about 2.</source>
        <translation>模型被约束在参考模型附近的程度（DPO），或偏好差值的锐度（ORPO 的 lambda、SimPO 的 beta）。DPO 通常取 0.1；SimPO 约取 2。</translation>
    </message>
    <message>
        <source>SimPO margin</source>
        <translation>SimPO 差值</translation>
    </message>
    <message>
        <source>SimPO: the reward margin the chosen answer must win by, as a share of beta.</source>
        <translation>SimPO：被选中的回答必须领先的奖励差值，以 beta 的比例表示。</translation>
    </message>
    <message>
        <source>Max prompt length</source>
        <translation>最大提示长度</translation>
    </message>
    <message>
        <source>Preference tuning: cut prompts to this many tokens (from the left) so the answers keep room; 0 means half the maximum length.</source>
        <translation>偏好调优：把提示截断到这么多个词元（从左侧截断），给回答留出空间；0 表示最大长度的一半。</translation>
    </message>
    <message>
        <source>half the maximum length</source>
        <translation>最大长度的一半</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where training runs: empty picks the first GPU when there is one (every visible GPU with several processes), else the CPU; &apos;cpu&apos;; or GPU indexes such as &apos;0&apos; or &apos;0,1,2,3&apos;, as many as processes.</source>
        <translation>训练在哪里运行：留空时，有 GPU 就使用第一块 GPU（多进程时使用所有可见 GPU），否则使用 CPU；&apos;cpu&apos;；或 GPU 编号，例如 &apos;0&apos; 或 &apos;0,1,2,3&apos;，数量与进程数相同。</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>进程数</translation>
    </message>
    <message>
        <source>Training processes, each with its own share of every batch (data parallel). More than one starts the run through accelerate&apos;s launcher, one process per listed GPU; on the CPU they share the cores.</source>
        <translation>训练进程数，每个进程处理每个批次中的一部分（数据并行）。多于一个时通过 accelerate 的启动器运行，每块列出的 GPU 一个进程；在 CPU 上它们共享所有核心。</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>How several processes share the model: &apos;ddp&apos; (each holds a full copy and gradients are averaged), &apos;fsdp&apos; (parameters, gradients and optimizer state sharded across processes, for a model too big for one device) or &apos;deepspeed&apos; (ZeRO; needs the deepspeed package). FSDP and DeepSpeed need GPUs.</source>
        <translation>多个进程如何共享模型：&apos;ddp&apos;（每个进程持有完整副本，梯度取平均）、&apos;fsdp&apos;（参数、梯度和优化器状态在进程间分片，适合单个设备放不下的模型）或 &apos;deepspeed&apos;（ZeRO；需要 deepspeed 包）。FSDP 和 DeepSpeed 需要 GPU。</translation>
    </message>
    <message>
        <source>ZeRO stage</source>
        <translation>ZeRO 阶段</translation>
    </message>
    <message>
        <source>DeepSpeed ZeRO stage: 2 shards optimizer state and gradients, 3 shards the parameters too.</source>
        <translation>DeepSpeed ZeRO 阶段：2 对优化器状态和梯度分片，3 还会对参数分片。</translation>
    </message>
    <message>
        <source>FSDP layer</source>
        <translation>FSDP 层</translation>
    </message>
    <message>
        <source>FSDP: the model&apos;s layer class each shard wraps (for example &apos;LlamaDecoderLayer&apos;).</source>
        <translation>FSDP：每个分片包装的模型层类（例如 &apos;LlamaDecoderLayer&apos;）。</translation>
    </message>
    <message>
        <source>guessed from the model</source>
        <translation>根据模型推断</translation>
    </message>
    <message>
        <source>Keep the global batch</source>
        <translation>保持全局批大小</translation>
    </message>
    <message>
        <source>With several processes, divide gradient accumulation by their number so the global batch (batch size x accumulation x processes) stays as planned for one (rounded, with a warning, when it does not divide).</source>
        <translation>多进程时，把梯度累积除以进程数，使全局批大小（批大小 × 累积 × 进程数）与单进程时的计划一致（不能整除时取整，并给出警告）。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Pretrain</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>Preference</source>
        <translation>偏好</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>{rows} read, {kept:,} kept ({train:,} train, {validation:,} validation).</source>
        <translation>读取 {rows}，保留 {kept:,} 行（训练 {train:,}，验证 {validation:,}）。</translation>
    </message>
    <message>
        <source>{texts} read, {kept:,} kept; {train}, {validation}.</source>
        <translation>读取 {texts}，保留 {kept:,} 段；{train}，{validation}。</translation>
    </message>
    <message>
        <source>Dropped {rows}: {reason}.</source>
        <translation>丢弃 {rows}：{reason}。</translation>
    </message>
    <message>
        <source>{rows} is an exact duplicate of an earlier row (kept).</source>
        <translation>{rows}与之前的某行完全重复（已保留）。</translation>
    </message>
    <message>
        <source>{rows} are exact duplicates of an earlier row (kept).</source>
        <translation>{rows}与之前的行完全重复（已保留）。</translation>
    </message>
    <message>
        <source>{name}: {counts}</source>
        <translation>{name}：{counts}</translation>
    </message>
    <message>
        <source>Tokens per row: median {p50}, 95th percentile {p95}, max {max}; {truncated:.1%} truncated.</source>
        <translation>每行词元数：中位数 {p50}，95 分位数 {p95}，最大 {max}；{truncated:.1%} 被截断。</translation>
    </message>
    <message>
        <source>Tokens per row, estimated from {sampled:,} of {rows:,} rows: median about {p50}, 95th percentile about {p95}, longest seen {max}; {truncated:.1%} truncated (± {error:.1%}). Each percentile is within {points:.1f} percentile points of the exact one, with {confidence:.0%} confidence.</source>
        <translation>每行词元数（根据 {rows:,} 行中的 {sampled:,} 行估算）：中位数约 {p50}，95 分位数约 {p95}，已见最长 {max}；{truncated:.1%} 被截断（± {error:.1%}）。每个分位数与精确值相差不超过 {points:.1f} 个百分点，置信度 {confidence:.0%}。</translation>
    </message>
    <message>
        <source>Warning: {warning}</source>
        <translation>警告：{warning}</translation>
    </message>
    <message>
        <source>{count:,} row</source>
        <translation>{count:,} 行</translation>
    </message>
    <message>
        <source>{count:,} rows</source>
        <translation>{count:,} 行</translation>
    </message>
    <message>
        <source>{count:,} text</source>
        <translation>{count:,} 段文本</translation>
    </message>
    <message>
        <source>{count:,} texts</source>
        <translation>{count:,} 段文本</translation>
    </message>
    <message>
        <source>{count:,} training block</source>
        <translation>{count:,} 个训练块</translation>
    </message>
    <message>
        <source>{count:,} training blocks</source>
        <translation>{count:,} 个训练块</translation>
    </message>
    <message>
        <source>{count:,} validation block</source>
        <translation>{count:,} 个验证块</translation>
    </message>
    <message>
        <source>{count:,} validation blocks</source>
        <translation>{count:,} 个验证块</translation>
    </message>
    <message>
        <source>empty &apos;{column}&apos;</source>
        <translation>&apos;{column}&apos; 为空</translation>
    </message>
    <message>
        <source>{reason} (validation file)</source>
        <translation>{reason}（验证文件）</translation>
    </message>
    <message>
        <source>validation label not seen in training</source>
        <translation>验证标签未在训练数据中出现</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Entities</source>
        <translation>实体</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>Images per class</source>
        <translation>每类图片数</translation>
    </message>
    <message>
        <source>{count:,} class</source>
        <translation>{count:,} 个类别</translation>
    </message>
    <message>
        <source>{count:,} classes</source>
        <translation>{count:,} 个类别</translation>
    </message>
    <message>
        <source>{count:,} label</source>
        <translation>{count:,} 个标签</translation>
    </message>
    <message>
        <source>{count:,} labels</source>
        <translation>{count:,} 个标签</translation>
    </message>
    <message>
        <source>Using {rows} of the rows (row limit).</source>
        <translation>使用其中的 {rows} 行（行数上限）。</translation>
    </message>
    <message>
        <source>No validation data: metrics cannot be computed and the best checkpoint cannot be chosen.</source>
        <translation>没有验证数据：无法计算指标，也无法选出最佳检查点。</translation>
    </message>
    <message>
        <source>The classes are very unbalanced; macro F1 is the metric to watch, not accuracy.</source>
        <translation>类别非常不均衡；应关注宏平均 F1，而不是准确率。</translation>
    </message>
    <message>
        <source>The label column has {values:,} distinct values for {rows:,} rows; is it really the label?</source>
        <translation>标签列在 {rows:,} 行中有 {values:,} 个不同的值；它真的是标签吗？</translation>
    </message>
    <message>
        <source>{file} has {labels} that the training data does not have ({names}); its row was left out of validation. Add examples of them to the training file, or correct the spelling.</source>
        <translation>{file} 中有 {labels}是训练数据中没有的（{names}）；该行未用于验证。请在训练文件中加入这些标签的样本，或更正拼写。</translation>
    </message>
    <message>
        <source>{file} has {labels} that the training data does not have ({names}); those rows were left out of validation. Add examples of them to the training file, or correct the spelling.</source>
        <translation>{file} 中有 {labels}是训练数据中没有的（{names}）；这些行未用于验证。请在训练文件中加入这些标签的样本，或更正拼写。</translation>
    </message>
    <message>
        <source>{classes} has a single example ({names}): a class seen once is barely learned and cannot be held out for validation. Add examples, or remove those rows.</source>
        <translation>{classes}只有一个样本（{names}）：只出现一次的类别几乎学不到，也无法留出用于验证。请增加样本，或删除这些行。</translation>
    </message>
    <message>
        <source>{classes} have a single example ({names}): a class seen once is barely learned and cannot be held out for validation. Add examples, or remove those rows.</source>
        <translation>{classes}只有一个样本（{names}）：只出现一次的类别几乎学不到，也无法留出用于验证。请增加样本，或删除这些行。</translation>
    </message>
    <message>
        <source>In {file}, {rows} has the label &apos;{column}&apos;, the label column&apos;s own name: the header row is probably repeated inside the data. Remove those rows.</source>
        <translation>在 {file} 中，{rows}的标签是 &apos;{column}&apos;，也就是标签列自己的名称：表头行很可能在数据中重复出现了。请删除这些行。</translation>
    </message>
    <message>
        <source>In {file}, {rows} have the label &apos;{column}&apos;, the label column&apos;s own name: the header row is probably repeated inside the data. Remove those rows.</source>
        <translation>在 {file} 中，{rows}的标签是 &apos;{column}&apos;，也就是标签列自己的名称：表头行很可能在数据中重复出现了。请删除这些行。</translation>
    </message>
    <message>
        <source>In {file}, the label &apos;{label}&apos; occurs only in the first row, whose short cells look like column names: the header was probably read as data. If the first row names the columns, turn on &apos;First row is a header&apos; ({where}).</source>
        <translation>在 {file} 中，标签 &apos;{label}&apos; 只出现在首行，而首行的单元格很短，看起来像列名：表头很可能被当成了数据。如果首行是列名，请打开“首行为表头”（{where}）。</translation>
    </message>
    <message>
        <source>above the preview on the Data page; --header/--delimiter/--encoding on the command line</source>
        <translation>在“数据”页面的预览上方；命令行中使用 --header/--delimiter/--encoding</translation>
    </message>
    <message>
        <source>{file} is read as a CoNLL-style file (token first, tag last): {sentences:,} sentences.</source>
        <translation>{file} 按 CoNLL 格式读取（词元在前，标记在后）：{sentences:,} 个句子。</translation>
    </message>
    <message>
        <source>The tags are {scheme}.</source>
        <translation>标记格式为 {scheme}。</translation>
    </message>
    <message>
        <source>The tags are {scheme}; they were converted to IOB2 for training.</source>
        <translation>标记格式为 {scheme}；训练时已转换为 IOB2。</translation>
    </message>
    <message>
        <source>IOB2 (B- begins every entity)</source>
        <translation>IOB2（每个实体以 B- 开头）</translation>
    </message>
    <message>
        <source>IOB1 (I- begins an entity; B- only between two entities of one type)</source>
        <translation>IOB1（实体以 I- 开头；只有在两个同类实体相邻时才用 B-）</translation>
    </message>
    <message>
        <source>BIOES (S- for single-token entities, E- ends one)</source>
        <translation>BIOES（S- 表示单词元实体，E- 表示实体结束）</translation>
    </message>
    <message>
        <source>BILOU (U- for single-token entities, L- ends one)</source>
        <translation>BILOU（U- 表示单词元实体，L- 表示实体结束）</translation>
    </message>
    <message>
        <source>plain types without B-/I- prefixes (a run of one type is one entity)</source>
        <translation>不带 B-/I- 前缀的纯类型（同一类型的连续词元算一个实体）</translation>
    </message>
    <message>
        <source>{train}, {validation}; words per sentence: median {median}, max {max:,}.</source>
        <translation>{train}，{validation}；每句词数：中位数 {median}，最大 {max:,}。</translation>
    </message>
    <message>
        <source>{count:,} training sentence</source>
        <translation>{count:,} 个训练句子</translation>
    </message>
    <message>
        <source>{count:,} training sentences</source>
        <translation>{count:,} 个训练句子</translation>
    </message>
    <message>
        <source>{count:,} validation sentence</source>
        <translation>{count:,} 个验证句子</translation>
    </message>
    <message>
        <source>{count:,} validation sentences</source>
        <translation>{count:,} 个验证句子</translation>
    </message>
    <message>
        <source>The label column &apos;{column}&apos; of {file} holds only one value ({value}), so there is nothing to tell apart.</source>
        <translation>{file} 的标签列 &apos;{column}&apos; 只有一个值（{value}），没有可以区分的内容。</translation>
    </message>
    <message>
        <source>Map the column that holds the classes, or add examples of the other classes.</source>
        <translation>请指定包含类别的列，或加入其他类别的样本。</translation>
    </message>
    <message>
        <source>In the label column &apos;{column}&apos;, only 1 of the {classes} has two or more examples ({listed}): too little to learn to tell classes apart or to hold any out for validation.</source>
        <translation>在标签列 &apos;{column}&apos; 中，{classes}里只有 1 个有两个或更多样本（{listed}）：太少了，既学不会区分类别，也无法留出数据用于验证。</translation>
    </message>
    <message>
        <source>In the label column &apos;{column}&apos;, none of the {classes} has two or more examples ({listed}): too little to learn to tell classes apart or to hold any out for validation.</source>
        <translation>在标签列 &apos;{column}&apos; 中，{classes}里没有一个有两个或更多样本（{listed}）：太少了，既学不会区分类别，也无法留出数据用于验证。</translation>
    </message>
    <message>
        <source>Map the column that holds the classes, or add examples so that at least two classes have several each.</source>
        <translation>请指定包含类别的列，或增加样本，使至少两个类别各有多个样本。</translation>
    </message>
    <message>
        <source>{count:,} usable row</source>
        <translation>{count:,} 行可用数据</translation>
    </message>
    <message>
        <source>{count:,} usable rows</source>
        <translation>{count:,} 行可用数据</translation>
    </message>
    <message>
        <source>{count:,} validation row</source>
        <translation>{count:,} 行验证数据</translation>
    </message>
    <message>
        <source>{count:,} validation rows</source>
        <translation>{count:,} 行验证数据</translation>
    </message>
    <message>
        <source>{file} has {rows}: too few to learn from.</source>
        <translation>{file} 只有 {rows}：太少，无法学习。</translation>
    </message>
    <message>
        <source>Add rows with a text and a number, or map other columns.</source>
        <translation>请添加包含文本和数值的行，或指定其他列。</translation>
    </message>
    <message>
        <source>Only {rows}: Pearson and Spearman on so few rows say little. Hold out more rows, or give a larger validation file.</source>
        <translation>只有 {rows}：在这么少的行上，Pearson 和 Spearman 相关系数说明不了什么。请留出更多行，或提供更大的验证文件。</translation>
    </message>
    <message>
        <source>Targets in &apos;{column}&apos; (training rows): {min} to {max}, mean {mean}, standard deviation {std}. They are learned as they are, so the model (and its export) predicts in these units.</source>
        <translation>&apos;{column}&apos; 中的目标值（训练行）：{min} 到 {max}，均值 {mean}，标准差 {std}。目标值按原样学习，因此模型（及其导出）以这些单位进行预测。</translation>
    </message>
    <message>
        <source>The targets are large (mean {mean}, standard deviation {std}): a model starts near 0 and learns large numbers slowly. Rescale the column in the file to a few units (divide it by 1,000, or subtract a typical value), and scale the predictions back.</source>
        <translation>目标值很大（均值 {mean}，标准差 {std}）：模型从 0 附近开始，学习大数值很慢。请在文件中把该列缩放到几个单位的量级（除以 1,000，或减去一个典型值），再把预测结果换算回来。</translation>
    </message>
    <message>
        <source>The validation file has no column &apos;{wanted}&apos;; using &apos;{fallback}&apos; instead.</source>
        <translation>验证文件中没有 &apos;{wanted}&apos; 列；改用 &apos;{fallback}&apos;。</translation>
    </message>
    <message>
        <source>No usable rows remain in {file}.</source>
        <translation>{file} 中没有剩下可用的行。</translation>
    </message>
    <message>
        <source>Check that its rows have a text and a number.</source>
        <translation>请检查其中的行是否都有文本和数值。</translation>
    </message>
    <message>
        <source>no number in &apos;{column}&apos; (blank or NA)</source>
        <translation>&apos;{column}&apos; 中没有数值（空白或 NA）</translation>
    </message>
    <message>
        <source>The numbers in &apos;{column}&apos; of {file} are written with decimal commas (like &apos;{example}&apos;); they are read as decimals (&apos;{example}&apos; is {value}).</source>
        <translation>{file} 的 &apos;{column}&apos; 中的数字使用小数逗号书写（如 &apos;{example}&apos;）；已按小数读取（&apos;{example}&apos; 即 {value}）。</translation>
    </message>
    <message>
        <source>Every target in &apos;{column}&apos; is {value}: the model can only learn to predict that value, and Pearson and Spearman cannot be computed (they show as 0). Map the column that holds the scores, or add rows with other values.</source>
        <translation>&apos;{column}&apos; 中的所有目标值都是 {value}：模型只能学会预测这个值，也无法计算 Pearson 和 Spearman 相关系数（显示为 0）。请指定包含分数的列，或添加其他取值的行。</translation>
    </message>
    <message>
        <source>&apos;{column}&apos; holds only two values ({first} and {second}): if they are classes, classification (or pair-classification) predicts them as classes, with accuracy and F1.</source>
        <translation>&apos;{column}&apos; 只有两个值（{first} 和 {second}）：如果它们是类别，分类（或文本对分类）任务会把它们作为类别预测，并给出准确率和 F1。</translation>
    </message>
    <message>
        <source>{first}, {rest}</source>
        <translation>{first}，{rest}</translation>
    </message>
    <message>
        <source>The label column &apos;{column}&apos; is not used: the labels are the 0/1 columns {columns}.</source>
        <translation>未使用标签列 &apos;{column}&apos;：标签来自 0/1 列 {columns}。</translation>
    </message>
    <message>
        <source>No row of {file} has a label: the label column &apos;{column}&apos; is empty in every row.</source>
        <translation>{file} 中没有任何一行有标签：标签列 &apos;{column}&apos; 在每一行都为空。</translation>
    </message>
    <message>
        <source>No row of {file} has a label: the columns {columns} hold only 0 or nothing in every row.</source>
        <translation>{file} 中没有任何一行有标签：列 {columns} 在每一行都只有 0 或空值。</translation>
    </message>
    <message>
        <source>Map the column that holds the labels (or the 0/1 columns), or add labels to the rows.</source>
        <translation>请指定包含标签的列（或 0/1 列），或为这些行添加标签。</translation>
    </message>
    <message>
        <source>The validation file has no column &apos;{wanted}&apos;; using &apos;{fallback}&apos; as its text column.</source>
        <translation>验证文件中没有 &apos;{wanted}&apos; 列；改用 &apos;{fallback}&apos; 作为其文本列。</translation>
    </message>
    <message>
        <source>{file} has {labels} that the training data does not have ({names}); they were removed from its rows. Add examples of them to the training file, or correct the spelling.</source>
        <translation>{file} 中有 {labels}是训练数据中没有的（{names}）；已从其各行中移除。请在训练文件中加入这些标签的样本，或更正拼写。</translation>
    </message>
    <message>
        <source>Check that its text column is filled.</source>
        <translation>请检查其文本列是否已填写。</translation>
    </message>
    <message>
        <source>3 or more</source>
        <translation>3 个或更多</translation>
    </message>
    <message>
        <source>{labels} in {rows}</source>
        <translation>{labels}：{rows}</translation>
    </message>
    <message>
        <source>Labels per row: {counts}; {average} on average.</source>
        <translation>每行标签数：{counts}；平均 {average} 个。</translation>
    </message>
    <message>
        <source>{rows} has no label ({where}): kept, the model learns that none applies.</source>
        <translation>{rows}没有标签（{where}）：已保留，模型会学到没有标签适用。</translation>
    </message>
    <message>
        <source>{rows} have no label ({where}): kept, the model learns that none applies.</source>
        <translation>{rows}没有标签（{where}）：已保留，模型会学到没有标签适用。</translation>
    </message>
    <message>
        <source>an empty &apos;{column}&apos; cell</source>
        <translation>&apos;{column}&apos; 单元格为空</translation>
    </message>
    <message>
        <source>0 in every label column</source>
        <translation>每个标签列都是 0</translation>
    </message>
    <message>
        <source>Every row has exactly one label: single-label classification (the &apos;classification&apos; task) fits this data better, unless the labels are meant to be separated by another delimiter.</source>
        <translation>每行恰好只有一个标签：单标签分类（“classification”任务）更适合这份数据，除非标签本应使用其他分隔符分隔。</translation>
    </message>
    <message>
        <source>There is only one label ({label}): the model learns whether it applies. Check the labels column and separator.</source>
        <translation>只有一个标签（{label}）：模型只学习它是否适用。请检查标签列和分隔符。</translation>
    </message>
    <message>
        <source>There are {labels:,} distinct labels for {rows}; is it really the labels column, and the right separator?</source>
        <translation>{rows}中有 {labels:,} 个不同的标签；这真的是标签列吗？分隔符是否正确？</translation>
    </message>
    <message>
        <source>{labels} has no example ({names}): the model cannot learn it.</source>
        <translation>{labels}没有样本（{names}）：模型无法学习它。</translation>
    </message>
    <message>
        <source>{labels} have no example ({names}): the model cannot learn it.</source>
        <translation>{labels}没有样本（{names}）：模型无法学习它们。</translation>
    </message>
    <message>
        <source>{labels} has a single example ({names}): a label seen once is barely learned and is kept in training, not validation. Add examples.</source>
        <translation>{labels}只有一个样本（{names}）：只出现一次的标签几乎学不到，它会留在训练数据中，不用于验证。请增加样本。</translation>
    </message>
    <message>
        <source>{labels} have a single example ({names}): a label seen once is barely learned and is kept in training, not validation. Add examples.</source>
        <translation>{labels}只有一个样本（{names}）：只出现一次的标签几乎学不到，它们会留在训练数据中，不用于验证。请增加样本。</translation>
    </message>
    <message>
        <source>No validation data: metrics cannot be computed, the threshold stays 0.5 and the best checkpoint cannot be chosen.</source>
        <translation>没有验证数据：无法计算指标，阈值保持为 0.5，也无法选出最佳检查点。</translation>
    </message>
    <message>
        <source>The labels in &apos;{column}&apos; are read as lists.</source>
        <translation>&apos;{column}&apos; 中的标签按列表读取。</translation>
    </message>
    <message>
        <source>Labels in &apos;{column}&apos; are separated by {delimiter} (detected; set data.label_delimiter to choose another).</source>
        <translation>&apos;{column}&apos; 中的标签以 {delimiter} 分隔（自动检测；可设置 data.label_delimiter 选择其他分隔符）。</translation>
    </message>
    <message>
        <source>No cell of &apos;{column}&apos; holds several labels separated by , ; or |, so each row has at most one label; labels with spaces are kept whole (set data.label_delimiter if the labels are separated by spaces or something else).</source>
        <translation>&apos;{column}&apos; 中没有单元格包含用 , ; 或 | 分隔的多个标签，因此每行最多一个标签；含空格的标签保持完整（如果标签以空格或其他字符分隔，请设置 data.label_delimiter）。</translation>
    </message>
    <message>
        <source>spaces</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>No cell of &apos;{column}&apos; in {file} contains the separator &apos;{given}&apos;, so each row has one label.</source>
        <translation>{file} 的 &apos;{column}&apos; 中没有单元格包含分隔符 &apos;{given}&apos;，因此每行只有一个标签。</translation>
    </message>
    <message>
        <source>No cell of &apos;{column}&apos; in {file} contains the separator &apos;{given}&apos;, so each row has one label. Its cells are separated by {other}: is that the separator?</source>
        <translation>{file} 的 &apos;{column}&apos; 中没有单元格包含分隔符 &apos;{given}&apos;，因此每行只有一个标签。其单元格以 {other} 分隔：这是分隔符吗？</translation>
    </message>
    <message>
        <source>{count:,} question</source>
        <translation>{count:,} 个问题</translation>
    </message>
    <message>
        <source>{count:,} questions</source>
        <translation>{count:,} 个问题</translation>
    </message>
    <message>
        <source>{count:,} context</source>
        <translation>{count:,} 段上下文</translation>
    </message>
    <message>
        <source>{count:,} contexts</source>
        <translation>{count:,} 段上下文</translation>
    </message>
    <message>
        <source>{count:,} training question</source>
        <translation>{count:,} 个训练问题</translation>
    </message>
    <message>
        <source>{count:,} training questions</source>
        <translation>{count:,} 个训练问题</translation>
    </message>
    <message>
        <source>{count:,} validation question</source>
        <translation>{count:,} 个验证问题</translation>
    </message>
    <message>
        <source>{count:,} validation questions</source>
        <translation>{count:,} 个验证问题</translation>
    </message>
    <message>
        <source>{count:,} unanswerable question</source>
        <translation>{count:,} 个无答案问题</translation>
    </message>
    <message>
        <source>{count:,} unanswerable questions</source>
        <translation>{count:,} 个无答案问题</translation>
    </message>
    <message>
        <source>{count:,} training window</source>
        <translation>{count:,} 个训练窗口</translation>
    </message>
    <message>
        <source>{count:,} training windows</source>
        <translation>{count:,} 个训练窗口</translation>
    </message>
    <message>
        <source>{count:,} answer</source>
        <translation>{count:,} 个答案</translation>
    </message>
    <message>
        <source>{count:,} answers</source>
        <translation>{count:,} 个答案</translation>
    </message>
    <message>
        <source>{count:,} answer start</source>
        <translation>{count:,} 个答案起始位置</translation>
    </message>
    <message>
        <source>{count:,} answer starts</source>
        <translation>{count:,} 个答案起始位置</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>The answer column &apos;{column}&apos; of {file} is empty in every row, so there is no answer to learn to find.</source>
        <translation>{file} 的答案列 &apos;{column}&apos; 每一行都为空，没有可供学习查找的答案。</translation>
    </message>
    <message>
        <source>Map the answer column to the column that holds the answers (copied from the contexts).</source>
        <translation>请将答案列指定为包含答案（从上下文中复制而来）的列。</translation>
    </message>
    <message>
        <source>{file} has no column &apos;{wanted}&apos;; using &apos;{fallback}&apos; instead.</source>
        <translation>{file} 中没有 &apos;{wanted}&apos; 列；改用 &apos;{fallback}&apos;。</translation>
    </message>
    <message>
        <source>{file} has no column &apos;{wanted}&apos;; its answers are found in their contexts.</source>
        <translation>{file} 中没有 &apos;{wanted}&apos; 列；将在上下文中查找其答案。</translation>
    </message>
    <message>
        <source>Using {questions:,} of the questions (row limit).</source>
        <translation>使用其中的 {questions:,} 个问题（行数上限）。</translation>
    </message>
    <message>
        <source>No validation data: exact match and F1 cannot be computed and the best checkpoint cannot be chosen.</source>
        <translation>没有验证数据：无法计算精确匹配和 F1，也无法选出最佳检查点。</translation>
    </message>
    <message>
        <source>Too few questions to hold any out for validation.</source>
        <translation>问题太少，无法留出一部分用于验证。</translation>
    </message>
    <message>
        <source>{questions} about {contexts} are held out for validation; the model never trains on those contexts.</source>
        <translation>关于 {contexts}的 {questions}已留出用于验证；模型不会在这些上下文上训练。</translation>
    </message>
    <message>
        <source>No {which} question fits in a window of {max_length} tokens that shares {stride} tokens with the next (the shortest question has {shortest} tokens).</source>
        <translation>没有任何{which}问题能放进长度为 {max_length} 个词元、与下一窗口重叠 {stride} 个词元的窗口（最短的问题有 {shortest} 个词元）。</translation>
    </message>
    <message>
        <source>Raise the window length (task.max_length; 384 is usual) or lower the context overlap (task.doc_stride).</source>
        <translation>请增大窗口长度（task.max_length；通常为 384），或减小上下文重叠（task.doc_stride）。</translation>
    </message>
    <message>
        <source>{which} question too long for the window</source>
        <translation>{which}问题太长，窗口放不下</translation>
    </message>
    <message>
        <source>{questions} leaves no room for the context in a window of {max_length} tokens with an overlap of {stride} (longest: {longest:,} tokens; first: &apos;{first}&apos;); they were left out. Raise the window length or lower the context overlap to keep them.</source>
        <translation>{questions}在长度为 {max_length} 个词元、重叠 {stride} 的窗口中没有给上下文留下空间（最长：{longest:,} 个词元；第一个：&apos;{first}&apos;）；已略去。要保留它，请增大窗口长度或减小上下文重叠。</translation>
    </message>
    <message>
        <source>{questions} leave no room for the context in a window of {max_length} tokens with an overlap of {stride} (longest: {longest:,} tokens; first: &apos;{first}&apos;); they were left out. Raise the window length or lower the context overlap to keep them.</source>
        <translation>{questions}在长度为 {max_length} 个词元、重叠 {stride} 的窗口中没有给上下文留下空间（最长：{longest:,} 个词元；第一个：&apos;{first}&apos;）；已略去。要保留它们，请增大窗口长度或减小上下文重叠。</translation>
    </message>
    <message>
        <source>Every one of the {questions} has an empty answer, so there is no answer to learn to find.</source>
        <translation>全部 {questions}的答案都为空，没有可供学习查找的答案。</translation>
    </message>
    <message>
        <source>{questions} (empty answer), kept: the model also learns to answer nothing when the context does not hold the answer (SQuAD 2.0 style).</source>
        <translation>{questions}（答案为空）已保留：当上下文中没有答案时，模型也会学会不作回答（SQuAD 2.0 方式）。</translation>
    </message>
    <message>
        <source>{unanswerable:,} of the {questions:,} training questions ({share:.0%}) have no answer. If that is not meant, check the answer column: empty cells mean &apos;unanswerable&apos;.</source>
        <translation>{questions:,} 个训练问题中有 {unanswerable:,} 个（{share:.0%}）没有答案。如果这不是有意的，请检查答案列：空单元格表示“无答案”。</translation>
    </message>
    <message>
        <source>{several:,} of {contexts} need more than one window of {max_length} tokens (windows overlap by {stride}); the {questions} make {windows}.</source>
        <translation>{contexts}中有 {several:,} 段需要不止一个 {max_length} 词元的窗口（窗口重叠 {stride}）；{questions}共生成 {windows}。</translation>
    </message>
    <message>
        <source>Most contexts are longer than a window: a window length of 384 tokens (usual for question answering) would need fewer windows.</source>
        <translation>大多数上下文比一个窗口长：使用 384 个词元的窗口长度（问答任务的常用值）所需的窗口会更少。</translation>
    </message>
    <message>
        <source>empty question ({file})</source>
        <translation>问题为空（{file}）</translation>
    </message>
    <message>
        <source>empty context ({file})</source>
        <translation>上下文为空（{file}）</translation>
    </message>
    <message>
        <source>answer not in its context ({file})</source>
        <translation>答案不在其上下文中（{file}）</translation>
    </message>
    <message>
        <source>In {file}, {answers} had no start position and was found by searching the context for the answer text (its first occurrence).</source>
        <translation>在 {file} 中，{answers}没有起始位置，已通过在上下文中搜索答案文本找到（取第一次出现的位置）。</translation>
    </message>
    <message>
        <source>In {file}, {answers} had no start position and were found by searching the context for the answer text (its first occurrence).</source>
        <translation>在 {file} 中，{answers}没有起始位置，已通过在上下文中搜索答案文本找到（取第一次出现的位置）。</translation>
    </message>
    <message>
        <source>In {file}, {starts} did not point at the answer text and was moved to its nearest occurrence in the context.</source>
        <translation>在 {file} 中，{starts}没有指向答案文本，已移到上下文中最近的出现位置。</translation>
    </message>
    <message>
        <source>In {file}, {starts} did not point at the answer text and were moved to its nearest occurrence in the context.</source>
        <translation>在 {file} 中，{starts}没有指向答案文本，已移到上下文中最近的出现位置。</translation>
    </message>
    <message>
        <source>Check that &apos;{answer}&apos; holds answers copied exactly (same spelling and case) from the contexts in &apos;{context}&apos;, and that the columns are mapped to the right roles.</source>
        <translation>请检查 &apos;{answer}&apos; 中的答案是否从 &apos;{context}&apos; 的上下文中原样复制（拼写和大小写相同），以及各列是否指定到了正确的角色。</translation>
    </message>
    <message>
        <source>first: {where}, answer &apos;{answer}&apos;</source>
        <translation>第一个：{where}，答案 &apos;{answer}&apos;</translation>
    </message>
    <message>
        <source>In {file}, {answers} of {read:,} rows cannot be found in their context ({first}), which leaves {questions} to train on.</source>
        <translation>在 {file} 中，{read:,} 行里有 {answers}在其上下文中找不到（{first}），只剩 {questions}可供训练。</translation>
    </message>
    <message>
        <source>In {file}, {answers} is not in its context ({first}); that question was left out. {fix}</source>
        <translation>在 {file} 中，{answers}不在其上下文中（{first}）；该问题已略去。{fix}</translation>
    </message>
    <message>
        <source>In {file}, {answers} are not in their context ({first}); those questions were left out. {fix}</source>
        <translation>在 {file} 中，{answers}不在其上下文中（{first}）；这些问题已略去。{fix}</translation>
    </message>
    <message>
        <source>No usable rows remain in {file}: every row&apos;s question or context is empty.</source>
        <translation>{file} 中没有剩下可用的行：每一行的问题或上下文都为空。</translation>
    </message>
    <message>
        <source>Map the question and context columns to columns that hold them.</source>
        <translation>请将问题列和上下文列指定为实际包含它们的列。</translation>
    </message>
    <message>
        <source>question id &apos;{id}&apos;</source>
        <translation>问题 ID &apos;{id}&apos;</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <source>No usable images were found in {source}.</source>
        <translation>在 {source} 中没有找到可用的图片。</translation>
    </message>
    <message>
        <source>Check that the folder (or the table&apos;s image column) holds .jpg, .png, .bmp, .gif or .webp files that open in an image viewer.</source>
        <translation>请检查该文件夹（或表格的图片列）是否包含能用图片查看器打开的 .jpg、.png、.bmp、.gif 或 .webp 文件。</translation>
    </message>
    <message>
        <source>Using {images:,} of the images (row limit).</source>
        <translation>使用其中的 {images:,} 张图片（行数上限）。</translation>
    </message>
    <message>
        <source>All the usable images of {source} have one class ({label}), so there is nothing to tell apart.</source>
        <translation>{source} 中所有可用图片都属于同一个类别（{label}），没有可以区分的内容。</translation>
    </message>
    <message>
        <source>Add images of at least one other class.</source>
        <translation>请至少再加入一个其他类别的图片。</translation>
    </message>
    <message>
        <source>Sample images: {samples}.</source>
        <translation>示例图片：{samples}。</translation>
    </message>
    <message>
        <source>{file} needs an image path column and a label column.</source>
        <translation>{file} 需要一个图片路径列和一个标签列。</translation>
    </message>
    <message>
        <source>Name them with data.image_column and data.label_column (--image-column, --label-column).</source>
        <translation>请用 data.image_column 和 data.label_column（--image-column、--label-column）指定它们。</translation>
    </message>
    <message>
        <source>None of the image paths in the column &apos;{column}&apos; of {file} names a file that exists (the first is {first}).</source>
        <translation>{file} 的 &apos;{column}&apos; 列中没有任何图片路径指向存在的文件（第一个是 {first}）。</translation>
    </message>
    <message>
        <source>Write the paths relative to the table&apos;s folder ({folder}) or as absolute paths, and check the image column is mapped.</source>
        <translation>请把路径写成相对于表格所在文件夹（{folder}）的路径或绝对路径，并检查是否已指定图片列。</translation>
    </message>
    <message>
        <source>validation class not seen in training</source>
        <translation>验证类别未在训练数据中出现</translation>
    </message>
    <message>
        <source>{source} has {classes} that the training data does not have ({names}); those images were left out of validation. Add examples of them to the training data, or correct the names.</source>
        <translation>{source} 中有 {classes}是训练数据中没有的（{names}）；这些图片未用于验证。请在训练数据中加入这些类别的样本，或更正名称。</translation>
    </message>
    <message>
        <source>No usable images remain in {source}.</source>
        <translation>{source} 中没有剩下可用的图片。</translation>
    </message>
    <message>
        <source>Check that it holds images of the training data&apos;s classes (the same folder or label names).</source>
        <translation>请检查其中是否包含训练数据中各类别的图片（文件夹名或标签名相同）。</translation>
    </message>
    <message>
        <source>Fewer than two classes have two images or more ({listed}): too little to learn to tell classes apart or to hold any out for validation.</source>
        <translation>有两张或更多图片的类别不足两个（{listed}）：太少了，既学不会区分类别，也无法留出数据用于验证。</translation>
    </message>
    <message>
        <source>Add images so that at least two classes have several each.</source>
        <translation>请增加图片，使至少两个类别各有多张图片。</translation>
    </message>
    <message>
        <source>{classes} has a single image ({names}): a class seen once is barely learned and cannot be held out for validation. Add images.</source>
        <translation>{classes}只有一张图片（{names}）：只出现一次的类别几乎学不到，也无法留出用于验证。请增加图片。</translation>
    </message>
    <message>
        <source>{classes} have a single image ({names}): a class seen once is barely learned and cannot be held out for validation. Add images.</source>
        <translation>{classes}只有一张图片（{names}）：只出现一次的类别几乎学不到，也无法留出用于验证。请增加图片。</translation>
    </message>
    <message>
        <source>{count:,} target</source>
        <translation>{count:,} 个目标文本</translation>
    </message>
    <message>
        <source>{count:,} targets</source>
        <translation>{count:,} 个目标文本</translation>
    </message>
    <message>
        <source>No validation data: ROUGE and BLEU cannot be computed and the best checkpoint cannot be chosen.</source>
        <translation>没有验证数据：无法计算 ROUGE 和 BLEU，也无法选出最佳检查点。</translation>
    </message>
    <message>
        <source>Every source starts with the prefix {prefix}.</source>
        <translation>每个源文本都以前缀 {prefix} 开头。</translation>
    </message>
    <message>
        <source>{model} models expect a task prefix before every source, as in their pretraining: set the source prefix (task.source_prefix), e.g. &apos;summarize: &apos; or &apos;translate English to German: &apos;.</source>
        <translation>{model} 模型要求每个源文本前都有任务前缀，与其预训练时一致：请设置源文本前缀（task.source_prefix），例如 &apos;summarize: &apos; 或 &apos;translate English to German: &apos;。</translation>
    </message>
    <message>
        <source>The tokenizer does not end targets with its end token; it is added so that the model learns where to stop.</source>
        <translation>分词器不会在目标文本末尾加上结束词元；已自动添加，以便模型学会在何处停止。</translation>
    </message>
    <message>
        <source>{targets} of {total:,} are longer than the max target length ({max_target} tokens) and are cut: the model learns to stop mid-sentence. Raise task.max_target_length to about {p95}.</source>
        <translation>{total:,} 个目标文本中有 {targets}超过最大目标长度（{max_target} 个词元）而被截断：模型会学会在句子中间停止。请把 task.max_target_length 提高到约 {p95}。</translation>
    </message>
    <message>
        <source>The validation file has no column &apos;{wanted}&apos;; using &apos;{fallback}&apos; as its source column.</source>
        <translation>验证文件中没有 &apos;{wanted}&apos; 列；改用 &apos;{fallback}&apos; 作为其源文本列。</translation>
    </message>
    <message>
        <source>The validation file has no column &apos;{wanted}&apos;; using &apos;{fallback}&apos; as its target column.</source>
        <translation>验证文件中没有 &apos;{wanted}&apos; 列；改用 &apos;{fallback}&apos; 作为其目标文本列。</translation>
    </message>
    <message>
        <source>Only {rows} of the {read:,} in {file} has both a source and a target: the column &apos;{column}&apos; is empty in {empty}.</source>
        <translation>{file} 的 {read:,} 行中只有 {rows}同时有源文本和目标文本：&apos;{column}&apos; 列在 {empty}中为空。</translation>
    </message>
    <message>
        <source>Only {rows} of the {read:,} in {file} have both a source and a target: the column &apos;{column}&apos; is empty in {empty}.</source>
        <translation>{file} 的 {read:,} 行中只有 {rows}同时有源文本和目标文本：&apos;{column}&apos; 列在 {empty}中为空。</translation>
    </message>
    <message>
        <source>Map the source and target columns to the columns that hold the texts.</source>
        <translation>请将源文本列和目标文本列指定为包含这些文本的列。</translation>
    </message>
    <message>
        <source>No targets.</source>
        <translation>没有目标文本。</translation>
    </message>
    <message>
        <source>Target tokens: median {median}, max {max}; {targets} ({share:.1%}) longer than the max target length {max_target} is cut.</source>
        <translation>目标文本词元数：中位数 {median}，最大 {max}；{targets}（{share:.1%}）超过最大目标长度 {max_target}，被截断。</translation>
    </message>
    <message>
        <source>Target tokens: median {median}, max {max}; {targets} ({share:.1%}) longer than the max target length {max_target} are cut.</source>
        <translation>目标文本词元数：中位数 {median}，最大 {max}；{targets}（{share:.1%}）超过最大目标长度 {max_target}，被截断。</translation>
    </message>
    <message>
        <source>In {same:,} of the {pairs:,} pairs of {file} the two texts are identical: check that the two text columns hold different texts.</source>
        <translation>{file} 的 {pairs:,} 个文本对中有 {same:,} 个的两段文本完全相同：请检查两个文本列是否包含不同的文本。</translation>
    </message>
    <message>
        <source>Pair classification needs a second text column, and none is mapped.</source>
        <translation>文本对分类需要第二个文本列，但尚未指定。</translation>
    </message>
    <message>
        <source>Map the column that holds the second text of each pair (--text-pair-column), or choose text classification for single texts.</source>
        <translation>请指定包含每对中第二段文本的列（--text-pair-column），或对单段文本选择文本分类。</translation>
    </message>
    <message>
        <source>{pairs:,} pairs (&apos;{first}&apos; with &apos;{second}&apos;); token lengths count both texts of a pair together, with the separator tokens.</source>
        <translation>{pairs:,} 个文本对（&apos;{first}&apos; 与 &apos;{second}&apos;）；词元长度按一对中的两段文本合计，包括分隔词元。</translation>
    </message>
    <message>
        <source>Using {texts} of the texts (row limit).</source>
        <translation>使用其中的 {texts} 段文本（行数上限）。</translation>
    </message>
    <message>
        <source>Trained a {kind} tokenizer with {tokens} tokens on the training texts.</source>
        <translation>已在训练文本上训练了一个 {kind} 分词器，共 {tokens} 个词元。</translation>
    </message>
    <message>
        <source>This tokenizer has no mask token, so masked language modelling cannot run.</source>
        <translation>此分词器没有掩码词元，无法进行掩码语言建模。</translation>
    </message>
    <message>
        <source>The training text has {tokens} tokens, less than one block of {block}.</source>
        <translation>训练文本只有 {tokens} 个词元，不足一个 {block} 词元的块。</translation>
    </message>
    <message>
        <source>Lower the block size (max length) or add more text.</source>
        <translation>请减小块大小（最大长度），或添加更多文本。</translation>
    </message>
    <message>
        <source>The held-out text is shorter than one block, so there is no evaluation; raise the validation share or add text.</source>
        <translation>留出的文本不足一个块，因此不会进行评估；请提高验证比例或添加文本。</translation>
    </message>
    <message>
        <source>{texts:,} texts give {tokens:,} tokens, packed into {blocks:,} blocks of {block} ({leftover} tokens left over); {held_out:,} blocks held out.</source>
        <translation>{texts:,} 段文本共 {tokens:,} 个词元，打包成 {blocks:,} 个 {block} 词元的块（剩余 {leftover} 个词元）；留出 {held_out:,} 个块。</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>Row {row} (validation)</source>
        <translation>第 {row} 行（验证）</translation>
    </message>
    <message>
        <source>{reason} (validation)</source>
        <translation>{reason}（验证）</translation>
    </message>
    <message>
        <source>not a usable conversation</source>
        <translation>不是可用的对话</translation>
    </message>
    <message>
        <source>not a usable pair</source>
        <translation>不是可用的偏好对</translation>
    </message>
    <message>
        <source>chosen and rejected answers are the same</source>
        <translation>选中与拒绝的回答相同</translation>
    </message>
    <message>
        <source>no reply left within the maximum length</source>
        <translation>在最大长度内没有剩下回复</translation>
    </message>
    <message>
        <source>{rows:,} row(s) dropped; the first: {message} {fix}</source>
        <translation>已丢弃 {rows:,} 行；第一个问题：{message}{fix}</translation>
    </message>
    <message>
        <source>{rows:,} row(s) dropped; the first: {message}</source>
        <translation>已丢弃 {rows:,} 行；第一个问题：{message}</translation>
    </message>
    <message>
        <source>{rows:,} row(s) (validation) dropped; the first: {message} {fix}</source>
        <translation>已丢弃 {rows:,} 行（验证）；第一个问题：{message}{fix}</translation>
    </message>
    <message>
        <source>{rows:,} row(s) (validation) dropped; the first: {message}</source>
        <translation>已丢弃 {rows:,} 行（验证）；第一个问题：{message}</translation>
    </message>
    <message>
        <source>{where} is not a conversation: its text is not a JSON list of turns ({text}).</source>
        <translation>{where}不是对话：其文本不是由轮次组成的 JSON 列表（{text}）。</translation>
    </message>
    <message>
        <source>Write each conversation as a list like [{{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}, {{&quot;role&quot;: &quot;assistant&quot;, &quot;content&quot;: &quot;…&quot;}}], or map prompt and response columns instead.</source>
        <translation>请把每段对话写成形如 [{{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}, {{&quot;role&quot;: &quot;assistant&quot;, &quot;content&quot;: &quot;…&quot;}}] 的列表，或改为指定提示列和回复列。</translation>
    </message>
    <message>
        <source>{where} is not a list of turns.</source>
        <translation>{where}不是由轮次组成的列表。</translation>
    </message>
    <message>
        <source>Write each conversation as a list of {{&quot;role&quot;: …, &quot;content&quot;: …}} turns.</source>
        <translation>请把每段对话写成由 {{&quot;role&quot;: …, &quot;content&quot;: …}} 轮次组成的列表。</translation>
    </message>
    <message>
        <source>{where}, turn {turn} is not a role/content pair ({text}).</source>
        <translation>{where}的第 {turn} 轮不是 role/content 对（{text}）。</translation>
    </message>
    <message>
        <source>Write each turn as {{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}.</source>
        <translation>请把每一轮写成 {{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}。</translation>
    </message>
    <message>
        <source>{where}, turn {turn} has the keys {keys}; a turn needs a role (role or from) and a text (content or value).</source>
        <translation>{where}的第 {turn} 轮的键为 {keys}；每一轮需要一个角色（role 或 from）和一段文本（content 或 value）。</translation>
    </message>
    <message>
        <source>Use the OpenAI layout (role/content) or ShareGPT&apos;s (from/value).</source>
        <translation>请使用 OpenAI 格式（role/content）或 ShareGPT 格式（from/value）。</translation>
    </message>
    <message>
        <source>{where}, turn {turn} has the role {role}, which is none of system, user, assistant (or ShareGPT&apos;s human, gpt).</source>
        <translation>{where}的第 {turn} 轮角色为 {role}，不是 system、user、assistant 中的任何一个（也不是 ShareGPT 的 human、gpt）。</translation>
    </message>
    <message>
        <source>Rename the role in the data.</source>
        <translation>请在数据中重命名该角色。</translation>
    </message>
    <message>
        <source>{where} has a system turn after the first turn.</source>
        <translation>{where}在第一轮之后出现了系统轮次。</translation>
    </message>
    <message>
        <source>Put the system prompt first, once per conversation.</source>
        <translation>请把系统提示放在最前面，每段对话一次。</translation>
    </message>
    <message>
        <source>{where} has no assistant answer to learn.</source>
        <translation>{where}没有可供学习的助手回答。</translation>
    </message>
    <message>
        <source>Each conversation needs at least one non-empty assistant turn.</source>
        <translation>每段对话至少需要一个非空的助手轮次。</translation>
    </message>
    <message>
        <source>{where} has two {role} turns in a row.</source>
        <translation>{where}连续出现了两个 {role} 轮次。</translation>
    </message>
    <message>
        <source>Let user and assistant take turns (merge the two).</source>
        <translation>请让用户和助手轮流发言（合并这两轮）。</translation>
    </message>
    <message>
        <source>{where} starts with the assistant.</source>
        <translation>{where}以助手开头。</translation>
    </message>
    <message>
        <source>Start each conversation with the user&apos;s turn (after the system prompt).</source>
        <translation>请让每段对话以用户轮次开头（在系统提示之后）。</translation>
    </message>
    <message>
        <source>conversations (column &apos;{column}&apos;)</source>
        <translation>对话（&apos;{column}&apos; 列）</translation>
    </message>
    <message>
        <source>instruction / input / output (Alpaca)</source>
        <translation>指令 / 输入 / 输出（Alpaca）</translation>
    </message>
    <message>
        <source>prompt / response</source>
        <translation>提示 / 回复</translation>
    </message>
    <message>
        <source>No training rows are left after cleaning.</source>
        <translation>清理后没有剩下训练行。</translation>
    </message>
    <message>
        <source>Check the column mapping, or raise the maximum length.</source>
        <translation>请检查列的指定，或提高最大长度。</translation>
    </message>
    <message>
        <source>Layout: {layout}, {turns:.1f} turns per conversation on average; written with {template}.</source>
        <translation>格式：{layout}，每段对话平均 {turns:.1f} 轮；使用 {template} 书写。</translation>
    </message>
    <message>
        <source>The loss is on every token.</source>
        <translation>损失计算覆盖所有词元。</translation>
    </message>
    <message>
        <source>The loss is on the assistant&apos;s replies only.</source>
        <translation>损失只计算助手的回复。</translation>
    </message>
    <message>
        <source>Examples are packed: each batch is one row without padding, and attention does not cross examples.</source>
        <translation>样本已打包：每个批次是一行，没有填充，注意力不会跨越样本。</translation>
    </message>
    <message>
        <source>The chat template ends the assistant&apos;s turn without a special token, so generation runs to the token limit. Choose a template under Hyperparameters &gt; Chat template.</source>
        <translation>对话模板在助手轮次结束时没有特殊词元，因此生成会一直持续到词元上限。请在“超参数 &gt; 对话模板”中选择一个模板。</translation>
    </message>
    <message>
        <source>Each reply ends with {token}, which is learned and stops generation.</source>
        <translation>每条回复以 {token} 结尾，它会被学习，并用于停止生成。</translation>
    </message>
    <message>
        <source>The reply&apos;s end token {token} is not learned in the first example (cut by the maximum length?), so the model may not learn to stop. Raise the maximum length.</source>
        <translation>第一个样本中没有学习回复的结束词元 {token}（被最大长度截断了？），模型可能学不会停止。请提高最大长度。</translation>
    </message>
    <message>
        <source>Pairs are written with {template}; the example shows a prompt and its chosen answer, the part compared with the rejected one.</source>
        <translation>偏好对使用 {template} 书写；示例展示一个提示及其选中的回答，即与被拒绝回答相比较的部分。</translation>
    </message>
    <message>
        <source>None of the {rows:,} rows of {file} is a usable preference pair. The first problem: {first}</source>
        <translation>{file} 的 {rows:,} 行中没有任何一行是可用的偏好对。第一个问题：{first}</translation>
    </message>
    <message>
        <source>Check the prompt, chosen and rejected columns.</source>
        <translation>请检查提示列、选中列和拒绝列。</translation>
    </message>
    <message>
        <source>{where}: the chosen and rejected conversations differ before their last turn.</source>
        <translation>{where}：选中与拒绝的对话在最后一轮之前就不同。</translation>
    </message>
    <message>
        <source>Both must continue the same conversation; only the assistant&apos;s last answer may differ.</source>
        <translation>两者必须延续同一段对话；只有助手的最后一个回答可以不同。</translation>
    </message>
    <message>
        <source>{where} has the same chosen and rejected answer.</source>
        <translation>{where}的选中回答与拒绝回答相同。</translation>
    </message>
    <message>
        <source>A pair teaches something only when the two answers differ.</source>
        <translation>只有两个回答不同时，偏好对才有学习价值。</translation>
    </message>
    <message>
        <source>{where} has no chosen answer.</source>
        <translation>{where}没有选中的回答。</translation>
    </message>
    <message>
        <source>Fill in the chosen column, or drop the row.</source>
        <translation>请填写选中列，或删除该行。</translation>
    </message>
    <message>
        <source>{where} has no rejected answer.</source>
        <translation>{where}没有拒绝的回答。</translation>
    </message>
    <message>
        <source>Fill in the rejected column, or drop the row.</source>
        <translation>请填写拒绝列，或删除该行。</translation>
    </message>
    <message>
        <source>{where}: the chosen conversation does not end with an assistant&apos;s answer.</source>
        <translation>{where}：选中的对话没有以助手的回答结尾。</translation>
    </message>
    <message>
        <source>{where}: the rejected conversation does not end with an assistant&apos;s answer.</source>
        <translation>{where}：拒绝的对话没有以助手的回答结尾。</translation>
    </message>
    <message>
        <source>End each chosen and rejected conversation with the assistant&apos;s turn.</source>
        <translation>请让每段选中和拒绝的对话都以助手轮次结尾。</translation>
    </message>
    <message>
        <source>{where} has no prompt before the chosen answer.</source>
        <translation>{where}在选中的回答之前没有提示。</translation>
    </message>
    <message>
        <source>{where} has no prompt before the rejected answer.</source>
        <translation>{where}在拒绝的回答之前没有提示。</translation>
    </message>
    <message>
        <source>Map the prompt column, or give chosen and rejected as whole conversations (user turn first).</source>
        <translation>请指定提示列，或把选中和拒绝写成完整对话（以用户轮次开头）。</translation>
    </message>
    <message>
        <source>{prompts:,} prompt(s) cut to their last {max_prompt} tokens (preference.max_prompt_length).</source>
        <translation>{prompts:,} 个提示被截断为最后 {max_prompt} 个词元（preference.max_prompt_length）。</translation>
    </message>
    <message>
        <source>{pairs:,} pair(s) have an answer cut at the maximum length, so its end is not compared. Raise the maximum length.</source>
        <translation>{pairs:,} 个偏好对有回答在最大长度处被截断，其结尾不会参与比较。请提高最大长度。</translation>
    </message>
    <message>
        <source>CSV, TSV, JSON Lines (.jsonl), JSON, Parquet, Excel (.xlsx) or plain text (.txt)</source>
        <translation>CSV、TSV、JSON Lines（.jsonl）、JSON、Parquet、Excel（.xlsx）或纯文本（.txt）</translation>
    </message>
    <message>
        <source>&apos;{header}&apos; is not a choice for &apos;First row is a header&apos;.</source>
        <translation>&apos;{header}&apos; 不是“首行为表头”的可选值。</translation>
    </message>
    <message>
        <source>Choose auto (detect it), yes or no.</source>
        <translation>请选择 auto（自动检测）、yes 或 no。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a data file.</source>
        <translation>{path} 是文件夹，不是数据文件。</translation>
    </message>
    <message>
        <source>Choose a file inside it ({readable}); for pretraining, a folder of .txt files can be chosen as the data itself.</source>
        <translation>请选择其中的一个文件（{readable}）；预训练时，也可以直接选择一个包含 .txt 文件的文件夹作为数据。</translation>
    </message>
    <message>
        <source>The data file {file} is empty.</source>
        <translation>数据文件 {file} 是空的。</translation>
    </message>
    <message>
        <source>Choose a file with a header row and at least a few rows of data.</source>
        <translation>请选择一个有表头行且至少有几行数据的文件。</translation>
    </message>
    <message>
        <source>{file} has a header but no data rows.</source>
        <translation>{file} 有表头，但没有数据行。</translation>
    </message>
    <message>
        <source>Add rows below the header, or choose another file.</source>
        <translation>请在表头下方添加数据行，或选择其他文件。</translation>
    </message>
    <message>
        <source>{file} is read as a tab-separated table: every line has the same number of tabs.</source>
        <translation>{file} 按制表符分隔的表格读取：每一行的制表符数量相同。</translation>
    </message>
    <message>
        <source>The data file {file} holds only blank lines.</source>
        <translation>数据文件 {file} 只有空行。</translation>
    </message>
    <message>
        <source>Choose a file with text in it.</source>
        <translation>请选择一个包含文本的文件。</translation>
    </message>
    <message>
        <source>{file} is read as plain text: one text per non-blank line ({lines:,}), in a column &apos;{column}&apos;.</source>
        <translation>{file} 按纯文本读取：每个非空行为一段文本（共 {lines:,} 行），放在 &apos;{column}&apos; 列中。</translation>
    </message>
    <message>
        <source>The first sheet of {file} is empty.</source>
        <translation>{file} 的第一个工作表是空的。</translation>
    </message>
    <message>
        <source>Put the data on the first sheet, or save the sheet as CSV.</source>
        <translation>请把数据放在第一个工作表中，或把该工作表另存为 CSV。</translation>
    </message>
    <message>
        <source>The column &apos;{column}&apos; (mapped as {role}) is not in {file}. Its columns are: {columns}.</source>
        <translation>&apos;{column}&apos; 列（指定为{role}）不在 {file} 中。该文件的列有：{columns}。</translation>
    </message>
    <message>
        <source>Map one of the file&apos;s columns instead.</source>
        <translation>请改为指定该文件中的某一列。</translation>
    </message>
    <message>
        <source>{file} is read as plain text, one text per line (column &apos;{column}&apos;). If it is a table, name it .csv or .tsv, or choose its delimiter ({where}).</source>
        <translation>{file} 按纯文本读取，每行一段文本（&apos;{column}&apos; 列）。如果它是表格，请将其命名为 .csv 或 .tsv，或选择其分隔符（{where}）。</translation>
    </message>
    <message>
        <source>{file} is {kind}, which pft-desktop does not read.</source>
        <translation>{file} 是{kind}，pft-desktop 无法读取。</translation>
    </message>
    <message>
        <source>Open it in its spreadsheet program and save it as CSV (UTF-8) or as an Excel .xlsx workbook.</source>
        <translation>请用相应的电子表格程序打开它，另存为 CSV（UTF-8）或 Excel .xlsx 工作簿。</translation>
    </message>
    <message>
        <source>{file} is not a file type pft-desktop reads.</source>
        <translation>pft-desktop 无法读取 {file} 这种文件类型。</translation>
    </message>
    <message>
        <source>Save the data as {readable}; .csv, .tsv, .jsonl and .txt files may also be gzip-compressed (.csv.gz).</source>
        <translation>请把数据保存为 {readable}；.csv、.tsv、.jsonl 和 .txt 文件也可以用 gzip 压缩（.csv.gz）。</translation>
    </message>
    <message>
        <source>{file} cannot be decompressed ({error}).</source>
        <translation>无法解压 {file}（{error}）。</translation>
    </message>
    <message>
        <source>Check that the file is a complete gzip file, or decompress it and choose the plain file.</source>
        <translation>请检查该文件是否为完整的 gzip 文件，或先解压，再选择解压后的文件。</translation>
    </message>
    <message>
        <source>{file} contains {kind}, not text.</source>
        <translation>{file} 包含的是{kind}，不是文本。</translation>
    </message>
    <message>
        <source>Check that this is the right file; export the data from its program as CSV (UTF-8).</source>
        <translation>请确认这是正确的文件；请从其所属程序中把数据导出为 CSV（UTF-8）。</translation>
    </message>
    <message>
        <source>If it is an Excel workbook, name it .xlsx; otherwise export the data as CSV.</source>
        <translation>如果它是 Excel 工作簿，请将其命名为 .xlsx；否则请把数据导出为 CSV。</translation>
    </message>
    <message>
        <source>Name it with .gz at the end (data.csv.gz), or decompress it.</source>
        <translation>请在文件名末尾加上 .gz（如 data.csv.gz），或将其解压。</translation>
    </message>
    <message>
        <source>Name it .parquet.</source>
        <translation>请将其命名为 .parquet。</translation>
    </message>
    <message>
        <source>&apos;{encoding}&apos; is not a known text encoding.</source>
        <translation>&apos;{encoding}&apos; 不是已知的文本编码。</translation>
    </message>
    <message>
        <source>Leave the encoding empty to detect it, or use utf-8 or cp1252 ({where}).</source>
        <translation>请将编码留空以自动检测，或使用 utf-8 或 cp1252（{where}）。</translation>
    </message>
    <message>
        <source>{file} is not valid {encoding}: byte {byte} cannot be decoded.</source>
        <translation>{file} 不是有效的 {encoding}：字节 {byte} 无法解码。</translation>
    </message>
    <message>
        <source>Leave the encoding empty to detect it, or choose the file&apos;s encoding ({where}).</source>
        <translation>请将编码留空以自动检测，或选择该文件的编码（{where}）。</translation>
    </message>
    <message>
        <source>{file} cannot be decoded as text.</source>
        <translation>{file} 无法解码为文本。</translation>
    </message>
    <message>
        <source>Save the file as UTF-8 text.</source>
        <translation>请把文件保存为 UTF-8 文本。</translation>
    </message>
    <message>
        <source>{file} could not be read as {format} ({error}).</source>
        <translation>无法按 {format} 格式读取 {file}（{error}）。</translation>
    </message>
    <message>
        <source>Check that the file is complete and in the format its name says.</source>
        <translation>请检查文件是否完整，且格式与文件扩展名一致。</translation>
    </message>
    <message>
        <source>Choose a file with a header row and data rows.</source>
        <translation>请选择一个有表头行和数据行的文件。</translation>
    </message>
    <message>
        <source>The start of {file} cannot be read as a table with the delimiter {delimiter}: a quoted cell never ends, or one cell is longer than the first 64 KB.</source>
        <translation>无法用分隔符 {delimiter} 把 {file} 的开头读取为表格：某个带引号的单元格没有结束，或某个单元格比前 64 KB 还长。</translation>
    </message>
    <message>
        <source>Check the quotes near the top of the file, or choose the right delimiter ({where}).</source>
        <translation>请检查文件开头附近的引号，或选择正确的分隔符（{where}）。</translation>
    </message>
    <message>
        <source>{file} has a quote (&quot;) on line {line} that is never closed, so the rest of the file would be one cell.</source>
        <translation>{file} 第 {line} 行有一个引号（&quot;）始终没有闭合，文件的其余部分会变成一个单元格。</translation>
    </message>
    <message>
        <source>Add the closing quote or remove the stray one on line {line}, or save the file again from its program.</source>
        <translation>请在第 {line} 行补上闭合引号或删除多余的引号，或从原程序重新保存该文件。</translation>
    </message>
    <message>
        <source>{file} has a quote (&quot;) that is never closed, so the rest of the file would be one cell.</source>
        <translation>{file} 中有一个引号（&quot;）始终没有闭合，文件的其余部分会变成一个单元格。</translation>
    </message>
    <message>
        <source>Add the closing quote or remove the stray one, or save the file again from its program.</source>
        <translation>请补上闭合引号或删除多余的引号，或从原程序重新保存该文件。</translation>
    </message>
    <message>
        <source>line {line} has {fields} fields where the header has {header}</source>
        <translation>第 {line} 行有 {fields} 个字段，而表头有 {header} 个</translation>
    </message>
    <message>
        <source>some rows have more fields than the header</source>
        <translation>有些行的字段比表头多</translation>
    </message>
    <message>
        <source>{file} is not a regular table: {where} (delimiter: {delimiter}).</source>
        <translation>{file} 不是规整的表格：{where}（分隔符：{delimiter}）。</translation>
    </message>
    <message>
        <source>Quote text that contains the delimiter, or fix that row, or choose the right delimiter ({where}).</source>
        <translation>请给包含分隔符的文本加上引号，或修正该行，或选择正确的分隔符（{where}）。</translation>
    </message>
    <message>
        <source>{file} holds no data rows.</source>
        <translation>{file} 中没有数据行。</translation>
    </message>
    <message>
        <source>Add rows to the file, or choose another file.</source>
        <translation>请在文件中添加数据行，或选择其他文件。</translation>
    </message>
    <message>
        <source>{file} contains bytes that are not valid text.</source>
        <translation>{file} 包含不是有效文本的字节。</translation>
    </message>
    <message>
        <source>Save the file as UTF-8, or choose its encoding ({where}).</source>
        <translation>请把文件保存为 UTF-8，或选择其编码（{where}）。</translation>
    </message>
    <message>
        <source>The label column &apos;{column}&apos; of {file} holds values other than 0/1 ({values}) in {rows}, first in data row {first}.</source>
        <translation>{file} 的标签列 &apos;{column}&apos; 在 {rows}中含有 0/1 以外的值（{values}），第一处在第 {first} 个数据行。</translation>
    </message>
    <message>
        <source>Map only columns holding 1 where the label applies and 0 where it does not (true/false and yes/no work too), or use one column of separated labels instead.</source>
        <translation>请只指定这样的列：标签适用时为 1，不适用时为 0（true/false 和 yes/no 也可以）；或改用一列以分隔符分隔的标签。</translation>
    </message>
    <message>
        <source>In {file}, &apos;{column}&apos; is not 0 or 1 in {rows} ({values}; first in data row {first}); those rows were left out.</source>
        <translation>在 {file} 中，&apos;{column}&apos; 在 {rows}中不是 0 或 1（{values}；第一处在第 {first} 个数据行）；这些行已略去。</translation>
    </message>
    <message>
        <source>a label column not 0 or 1</source>
        <translation>某个标签列不是 0 或 1</translation>
    </message>
    <message>
        <source>The label column {names} is not in {file}. Its columns are: {columns}.</source>
        <translation>标签列 {names} 不在 {file} 中。该文件的列有：{columns}。</translation>
    </message>
    <message>
        <source>The label columns {names} are not in {file}. Its columns are: {columns}.</source>
        <translation>标签列 {names} 不在 {file} 中。该文件的列有：{columns}。</translation>
    </message>
    <message>
        <source>The column &apos;{column}&apos; is mapped as the text and as labels.</source>
        <translation>&apos;{column}&apos; 列同时被指定为文本和标签。</translation>
    </message>
    <message>
        <source>The column &apos;{column}&apos; is named twice among the label columns.</source>
        <translation>&apos;{column}&apos; 列在标签列中出现了两次。</translation>
    </message>
    <message>
        <source>Map a different column to each role, and each label column once.</source>
        <translation>请为每个角色指定不同的列，每个标签列只指定一次。</translation>
    </message>
    <message>
        <source>{count:,} other row</source>
        <translation>另有 {count:,} 行</translation>
    </message>
    <message>
        <source>{count:,} other rows</source>
        <translation>另有 {count:,} 行</translation>
    </message>
    <message>
        <source>The score column &apos;{column}&apos; of {file} must hold numbers, but data row {row:,} (the header not counted) has {what}{more}.</source>
        <translation>{file} 的分数列 &apos;{column}&apos; 必须是数值，但第 {row:,} 个数据行（不计表头）是 {what}{more}。</translation>
    </message>
    <message>
        <source>The score column &apos;{column}&apos; of {file} must hold numbers, but data row {row:,} (the header not counted) has {what}: {why}{more}.</source>
        <translation>{file} 的分数列 &apos;{column}&apos; 必须是数值，但第 {row:,} 个数据行（不计表头）是 {what}：{why}{more}。</translation>
    </message>
    <message>
        <source>an empty value</source>
        <translation>空值</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; in row {row:,}</source>
        <translation>第 {row:,} 行的 &apos;{value}&apos;</translation>
    </message>
    <message>
        <source>; {rows} too: {shown}</source>
        <translation>；{rows}也是如此：{shown}</translation>
    </message>
    <message>
        <source>; {rows} too: {shown} and more</source>
        <translation>；{rows}也是如此：{shown} 等</translation>
    </message>
    <message>
        <source>decimal commas? Other rows write decimals with a point (like &apos;{example}&apos;), so the column mixes the two ways</source>
        <translation>是小数逗号吗？其他行用小数点书写小数（如 &apos;{example}&apos;），因此该列混用了两种写法</translation>
    </message>
    <message>
        <source>decimal commas or thousands separators? Every such value has three digits after the comma</source>
        <translation>是小数逗号还是千位分隔符？每个这样的值在逗号后都有三位数字</translation>
    </message>
    <message>
        <source>Map the column that holds the numbers to predict, or correct or remove those rows. To predict classes (text labels), choose a classification task.</source>
        <translation>请指定包含要预测的数值的列，或更正、删除这些行。若要预测类别（文本标签），请选择分类任务。</translation>
    </message>
    <message>
        <source>Write every number in the column the same way, with a decimal point (3.5).</source>
        <translation>请让该列中所有数字的写法一致，使用小数点（3.5）。</translation>
    </message>
    <message>
        <source>Write the numbers without thousands separators and with a decimal point (3.5, 1500).</source>
        <translation>请书写数字时不用千位分隔符，并使用小数点（3.5、1500）。</translation>
    </message>
    <message>
        <source>the training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>the validation data</source>
        <translation>验证数据</translation>
    </message>
    <message>
        <source>not an image file</source>
        <translation>不是图片文件</translation>
    </message>
    <message>
        <source>cannot be opened as an image</source>
        <translation>无法作为图片打开</translation>
    </message>
    <message>
        <source>image file not found</source>
        <translation>找不到图片文件</translation>
    </message>
    <message>
        <source>not inside a class subfolder</source>
        <translation>不在类别子文件夹中</translation>
    </message>
    <message>
        <source>{count:,} file</source>
        <translation>{count:,} 个文件</translation>
    </message>
    <message>
        <source>{count:,} files</source>
        <translation>{count:,} 个文件</translation>
    </message>
    <message>
        <source>{count:,} image</source>
        <translation>{count:,} 张图片</translation>
    </message>
    <message>
        <source>{count:,} images</source>
        <translation>{count:,} 张图片</translation>
    </message>
    <message>
        <source>{count:,} image path</source>
        <translation>{count:,} 个图片路径</translation>
    </message>
    <message>
        <source>{count:,} image paths</source>
        <translation>{count:,} 个图片路径</translation>
    </message>
    <message>
        <source>{count:,} class folder</source>
        <translation>{count:,} 个类别文件夹</translation>
    </message>
    <message>
        <source>{count:,} class folders</source>
        <translation>{count:,} 个类别文件夹</translation>
    </message>
    <message>
        <source>The image folder {path} does not exist.</source>
        <translation>图片文件夹 {path} 不存在。</translation>
    </message>
    <message>
        <source>Check the path and choose the folder again.</source>
        <translation>请检查路径并重新选择文件夹。</translation>
    </message>
    <message>
        <source>{folders} of {root} holds no images and is left out: {names}.</source>
        <translation>{root} 中有 {folders}不含图片，已略去：{names}。</translation>
    </message>
    <message>
        <source>{folders} of {root} hold no images and are left out: {names}.</source>
        <translation>{root} 中有 {folders}不含图片，已略去：{names}。</translation>
    </message>
    <message>
        <source>{files} in {what} is not an image ({suffixes}) and was skipped: {names}.</source>
        <translation>{what}中有 {files}不是图片（{suffixes}），已跳过：{names}。</translation>
    </message>
    <message>
        <source>{files} in {what} are not images ({suffixes}) and were skipped: {names}.</source>
        <translation>{what}中有 {files}不是图片（{suffixes}），已跳过：{names}。</translation>
    </message>
    <message>
        <source>{images} of {what} lies directly in the folder, outside the class subfolders, and was skipped: {names}. Move it into the class&apos;s subfolder.</source>
        <translation>{what}中有 {images}直接位于文件夹中、不在类别子文件夹里，已跳过：{names}。请把它移到对应类别的子文件夹中。</translation>
    </message>
    <message>
        <source>{images} of {what} lie directly in the folder, outside the class subfolders, and were skipped: {names}. Move them into the class&apos;s subfolder.</source>
        <translation>{what}中有 {images}直接位于文件夹中、不在类别子文件夹里，已跳过：{names}。请把它们移到对应类别的子文件夹中。</translation>
    </message>
    <message>
        <source>{files} in {what} cannot be opened as an image (damaged, or not what the name says) and was skipped: {names}.</source>
        <translation>{what}中有 {files}无法作为图片打开（已损坏，或与文件名所示格式不符），已跳过：{names}。</translation>
    </message>
    <message>
        <source>{files} in {what} cannot be opened as images (damaged, or not what the name says) and were skipped: {names}.</source>
        <translation>{what}中有 {files}无法作为图片打开（已损坏，或与文件名所示格式不符），已跳过：{names}。</translation>
    </message>
    <message>
        <source>{paths} in {what} names a file that does not exist and was left out: {names}. Relative paths are read from the table&apos;s folder.</source>
        <translation>{what}中有 {paths}指向不存在的文件，已略去：{names}。相对路径从表格所在文件夹开始解析。</translation>
    </message>
    <message>
        <source>{paths} in {what} name files that do not exist and were left out: {names}. Relative paths are read from the table&apos;s folder.</source>
        <translation>{what}中有 {paths}指向不存在的文件，已略去：{names}。相对路径从表格所在文件夹开始解析。</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <source>vertical bar</source>
        <translation>竖线</translation>
    </message>
    <message>
        <source>lines {lines} and {more:,} more</source>
        <translation>第 {lines} 行及另外 {more:,} 行</translation>
    </message>
    <message>
        <source>lines {lines} and {last}</source>
        <translation>第 {lines} 和 {last} 行</translation>
    </message>
    <message>
        <source>header</source>
        <translation>表头</translation>
    </message>
    <message>
        <source>first row</source>
        <translation>首行</translation>
    </message>
    <message>
        <source>The first line of {file} (&apos;{shown}&apos;) is not part of the table (a title or comments) and was skipped.</source>
        <translation>{file} 的第一行（&apos;{shown}&apos;）不属于表格（是标题或注释），已跳过。</translation>
    </message>
    <message>
        <source>The first {lines} lines of {file} (&apos;{shown}&apos;…) are not part of the table (a title or comments) and were skipped.</source>
        <translation>{file} 的前 {lines} 行（&apos;{shown}&apos;…）不属于表格（是标题或注释），已跳过。</translation>
    </message>
    <message>
        <source>{file} is not a regular table: line {line} has {fields} fields where the {above} has {width} ({long_rows:,} of {rows:,} rows have too many cells, {lines}; delimiter: {delimiter}).</source>
        <translation>{file} 不是规整的表格：第 {line} 行有 {fields} 个字段，而{above}有 {width} 个（{rows:,} 行中有 {long_rows:,} 行单元格过多，{lines}；分隔符：{delimiter}）。</translation>
    </message>
    <message>
        <source>Quote text that contains the delimiter, fix those rows, or choose the right delimiter ({where}).</source>
        <translation>请给包含分隔符的文本加上引号，修正这些行，或选择正确的分隔符（{where}）。</translation>
    </message>
    <message>
        <source>{rows} of {file} has more cells than the {above} ({width}) and was left out: {lines}. Quote text that contains the {delimiter}, or fix that row, to keep it.</source>
        <translation>{file} 中有 {rows}的单元格比{above}（{width}）多，已略去：{lines}。要保留它，请给包含{delimiter}的文本加上引号，或修正该行。</translation>
    </message>
    <message>
        <source>{rows} of {file} have more cells than the {above} ({width}) and were left out: {lines}. Quote text that contains the {delimiter}, or fix those rows, to keep them.</source>
        <translation>{file} 中有 {rows}的单元格比{above}（{width}）多，已略去：{lines}。要保留它们，请给包含{delimiter}的文本加上引号，或修正这些行。</translation>
    </message>
    <message>
        <source>the model&apos;s own chat template</source>
        <translation>模型自带的对话模板</translation>
    </message>
    <message>
        <source>the &apos;{name}&apos; chat template (chosen)</source>
        <translation>&apos;{name}&apos; 对话模板（已选择）</translation>
    </message>
    <message>
        <source>the &apos;{name}&apos; chat template (the model has none of its own; another can be chosen under Hyperparameters &gt; Chat template)</source>
        <translation>&apos;{name}&apos; 对话模板（模型没有自带模板；可在“超参数 &gt; 对话模板”中选择其他模板）</translation>
    </message>
    <message>
        <source>task.chat_template = {name} is not a known template.</source>
        <translation>task.chat_template = {name} 不是已知的模板。</translation>
    </message>
    <message>
        <source>Choose one of {templates}, or leave it empty for the model&apos;s own.</source>
        <translation>请从 {templates} 中选择一个，或留空以使用模型自带的模板。</translation>
    </message>
    <message>
        <source>The chat template &apos;{name}&apos; needs the tokens {tokens}, which this model&apos;s vocabulary does not have.</source>
        <translation>对话模板 &apos;{name}&apos; 需要词元 {tokens}，但此模型的词表中没有。</translation>
    </message>
    <message>
        <source>Choose &apos;zephyr&apos; or &apos;plain&apos;, which end each turn with the model&apos;s own end token, or a model made for this template.</source>
        <translation>请选择 &apos;zephyr&apos; 或 &apos;plain&apos;（它们用模型自己的结束词元结束每一轮），或选择为此模板制作的模型。</translation>
    </message>
    <message>
        <source>The tokenizer has no end-of-sequence token, so a reply could never end.</source>
        <translation>分词器没有序列结束词元，回复将永远无法结束。</translation>
    </message>
    <message>
        <source>Choose a model whose tokenizer has one.</source>
        <translation>请选择分词器带有结束词元的模型。</translation>
    </message>
    <message>
        <source>The model&apos;s chat template refused a conversation: {error}</source>
        <translation>模型的对话模板拒绝了一段对话：{error}</translation>
    </message>
    <message>
        <source>Remove what it names (for example the system prompt, if the model takes none), or choose another template under Hyperparameters &gt; Chat template.</source>
        <translation>请删除其中指出的内容（例如模型不接受系统提示时删除系统提示），或在“超参数 &gt; 对话模板”中选择其他模板。</translation>
    </message>
    <message>
        <source>The chat template does not write the assistant&apos;s reply as it is given.</source>
        <translation>对话模板没有按原样写出助手的回复。</translation>
    </message>
    <message>
        <source>Choose another template under Hyperparameters &gt; Chat template.</source>
        <translation>请在“超参数 &gt; 对话模板”中选择其他模板。</translation>
    </message>
    <message>
        <source>In {same:,} of {rows:,} rows the target &apos;{target}&apos; is the same text as the source &apos;{source}&apos;: the model would learn to copy. Check the column mapping.</source>
        <translation>{rows:,} 行中有 {same:,} 行的目标文本 &apos;{target}&apos; 与源文本 &apos;{source}&apos; 相同：模型会学会照抄。请检查列的指定。</translation>
    </message>
    <message>
        <source>{file} looks like SQuAD-style JSON but cannot be read as JSON ({error}).</source>
        <translation>{file} 看起来是 SQuAD 格式的 JSON，但无法按 JSON 读取（{error}）。</translation>
    </message>
    <message>
        <source>Check that the file is complete (not cut off) and saved as UTF-8, or export it again.</source>
        <translation>请检查文件是否完整（没有被截断）并以 UTF-8 保存，或重新导出。</translation>
    </message>
    <message>
        <source>{file} is not laid out as SQuAD: its &apos;data&apos; must be a list of articles, each with a list of &apos;paragraphs&apos;.</source>
        <translation>{file} 不是 SQuAD 的结构：其 &apos;data&apos; 必须是文章列表，每篇文章都有一个 &apos;paragraphs&apos; 列表。</translation>
    </message>
    <message>
        <source>Write it as {{&quot;data&quot;: [{{&quot;title&quot;: …, &quot;paragraphs&quot;: [{{&quot;context&quot;: …, &quot;qas&quot;: [{{&quot;id&quot;, &quot;question&quot;, &quot;answers&quot;: [{{&quot;text&quot;, &quot;answer_start&quot;}}]}}]}}]}}]}}, or as a table with question, context and answer columns.</source>
        <translation>请写成 {{&quot;data&quot;: [{{&quot;title&quot;: …, &quot;paragraphs&quot;: [{{&quot;context&quot;: …, &quot;qas&quot;: [{{&quot;id&quot;, &quot;question&quot;, &quot;answers&quot;: [{{&quot;text&quot;, &quot;answer_start&quot;}}]}}]}}]}}]}} 的形式，或写成包含问题、上下文和答案列的表格。</translation>
    </message>
    <message>
        <source>{file} holds no questions (no &apos;qas&apos; in its paragraphs).</source>
        <translation>{file} 中没有问题（其段落中没有 &apos;qas&apos;）。</translation>
    </message>
    <message>
        <source>Choose a file with questions in it.</source>
        <translation>请选择一个包含问题的文件。</translation>
    </message>
    <message>
        <source>Validation perplexity {perplexity:.2f}.</source>
        <translation>验证困惑度 {perplexity:.2f}。</translation>
    </message>
    <message>
        <source>Validation loss {loss:.4f}.</source>
        <translation>验证损失 {loss:.4f}。</translation>
    </message>
    <message>
        <source>Accuracy {accuracy:.1%}, macro F1 {f1:.3f} on the validation rows.</source>
        <translation>验证集准确率 {accuracy:.1%}，宏平均 F1 {f1:.3f}。</translation>
    </message>
    <message>
        <source>from {runs} past run with these settings</source>
        <translation>根据 {runs} 次相同设置的历史运行</translation>
    </message>
    <message>
        <source>from {runs} past runs with these settings</source>
        <translation>根据 {runs} 次相同设置的历史运行</translation>
    </message>
    <message>
        <source>at the pace this computer ran its latest run</source>
        <translation>按这台电脑最近一次运行的速度估算</translation>
    </message>
    <message>
        <source>at the pace this computer ran its latest {runs} runs</source>
        <translation>按这台电脑最近 {runs} 次运行的速度估算</translation>
    </message>
    <message>
        <source>Checking the model</source>
        <translation>正在检查模型</translation>
    </message>
    <message>
        <source>Reading the data</source>
        <translation>正在读取数据</translation>
    </message>
    <message>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Tokenizing</source>
        <translation>正在分词</translation>
    </message>
    <message>
        <source>Evaluating</source>
        <translation>正在评估</translation>
    </message>
    <message>
        <source>Saving the model</source>
        <translation>正在保存模型</translation>
    </message>
    <message>
        <source>Training a tokenizer</source>
        <translation>正在训练分词器</translation>
    </message>
    <message>
        <source>Checking the images</source>
        <translation>正在检查图片</translation>
    </message>
    <message>
        <source>Training ran out of memory on the device.</source>
        <translation>训练时设备内存不足。</translation>
    </message>
    <message>
        <source>Lower the batch size or the maximum sequence length, turn on gradient checkpointing, or switch to LoRA or QLoRA (4-bit), which keep far less in memory.</source>
        <translation>请减小批大小或最大序列长度、开启梯度检查点，或改用 LoRA 或 QLoRA（4 位），它们占用的内存少得多。</translation>
    </message>
    <message>
        <source>The disk filled up while writing the run.</source>
        <translation>写入运行数据时磁盘已满。</translation>
    </message>
    <message>
        <source>Free some disk space or choose an output folder on another drive, then resume.</source>
        <translation>请释放一些磁盘空间，或选择其他驱动器上的输出文件夹，然后恢复训练。</translation>
    </message>
    <message>
        <source>Training failed with an unexpected error ({error}).</source>
        <translation>训练因意外错误而失败（{error}）。</translation>
    </message>
    <message>
        <source>The full traceback is in the run&apos;s train.log; please include it if you report this.</source>
        <translation>完整的错误回溯在此运行的 train.log 中；报告问题时请附上它。</translation>
    </message>
    <message>
        <source>The data file {path} does not exist.</source>
        <translation>数据文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>Check the path and choose the file again.</source>
        <translation>请检查路径并重新选择文件。</translation>
    </message>
    <message>
        <source>Resume it from its last checkpoint, if one was saved.</source>
        <translation>如果保存过检查点，请从最后一个检查点恢复。</translation>
    </message>
    <message>
        <source>The training process ended without finishing the run (it was killed, or the computer restarted).</source>
        <translation>训练进程在运行完成前结束了（被强制结束，或电脑重启了）。</translation>
    </message>
    <message>
        <source>The run was killed before it could save.</source>
        <translation>运行在保存前就被强制结束了。</translation>
    </message>
    <message>
        <source>See the full log for details; the last checkpoint can be resumed.</source>
        <translation>详情请查看完整日志；可以从最后一个检查点恢复。</translation>
    </message>
</context>
</TS>
