<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionType</name>
    <message>
        <source>收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>补正材料</source>
        <translation>Materials amended</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>一次性告知</source>
        <translation>Missing materials notified</translation>
    </message>
    <message>
        <source>开始审查</source>
        <translation>Review started</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <source>上级意见</source>
        <translation>Opinion from above</translation>
    </message>
    <message>
        <source>中止计时</source>
        <translation>Clock suspended</translation>
    </message>
    <message>
        <source>恢复计时</source>
        <translation>Clock resumed</translation>
    </message>
    <message>
        <source>作出决定</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>出件</source>
        <translation>Result issued</translation>
    </message>
    <message>
        <source>送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>好差评</source>
        <translation>Service rated</translation>
    </message>
    <message>
        <source>登记缴费</source>
        <translation>Fee recorded</translation>
    </message>
    <message>
        <source>出具通知书</source>
        <translation>Notice issued</translation>
    </message>
</context>
<context>
    <name>AfterDecision</name>
    <message>
        <source>正在登记缴费…</source>
        <extracomment>the notice each decision hands the applicant what is happening now, for the clerk the applicant&apos;s evaluation screen opened (whoever keeps it alive: it outlives the intake) every step done a step failed with this message; the case stands as decided</extracomment>
        <translation>Recording the payment…</translation>
    </message>
    <message>
        <source>已{status}，受理编号 {case_no}。正在出具{kind}…</source>
        <translation>Done ({status}), case number {case_no}. Issuing the {kind}…</translation>
    </message>
    <message>
        <source>正在打印{kind}…</source>
        <translation>Printing the {kind}…</translation>
    </message>
    <message>
        <source>请申请人在签名板上签名确认</source>
        <translation>Ask the applicant to sign on the signature pad</translation>
    </message>
    <message>
        <source>办件已保存，但以下步骤未完成：{message}。可在办件详情中补办</source>
        <translation>The case is saved, but this step was not done: {message}. Do it from the case details</translation>
    </message>
</context>
<context>
    <name>ApplicantForm</name>
    <message>
        <source>个人(&amp;P)</source>
        <extracomment>a field changed (typed, or filled from the card)</extracomment>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <source>单位(&amp;O)</source>
        <translation>&amp;Organisation</translation>
    </message>
    <message>
        <source>读身份证(&amp;R)</source>
        <translation>&amp;Read ID card</translation>
    </message>
    <message>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>身份证号(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>联系电话(&amp;T)：</source>
        <translation>&amp;Telephone:</translation>
    </message>
    <message>
        <source>住址(&amp;D)：</source>
        <translation>A&amp;ddress:</translation>
    </message>
    <message>
        <source>单位名称：</source>
        <translation>Organisation name:</translation>
    </message>
    <message>
        <source>统一社会信用代码：</source>
        <translation>Unified social credit code:</translation>
    </message>
    <message>
        <source>法定代表人：</source>
        <translation>Legal representative:</translation>
    </message>
    <message>
        <source>法定代表人身份证号：</source>
        <translation>Legal representative&apos;s ID number:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Telephone:</translation>
    </message>
    <message>
        <source>注意：该身份证已于 {date} 过期，请申请人出示有效证件</source>
        <translation>Note: this ID card expired on {date}; ask the applicant for a valid document</translation>
    </message>
    <message>
        <source>性别 {sex}&#x3000;出生 {birth}&#x3000;有效期至 {until}</source>
        <translation>Sex {sex}   Born {birth}   Valid until {until}</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>重试</source>
        <extracomment>Enough for placing a sheet; more would only load the camera&apos;s USB link and the CPU. a new frame is on screen (for the tests and the bench) frames shown since the camera was opened the message shown in the error state</extracomment>
        <translation>Retry</translation>
    </message>
    <message>
        <source>拍摄</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>正在连接高拍仪…</source>
        <translation>Connecting to the document camera…</translation>
    </message>
    <message>
        <source>高拍仪出现意外错误，请点击重试</source>
        <translation>The document camera failed unexpectedly. Click Retry.</translation>
    </message>
</context>
<context>
    <name>CaseDetailDialog</name>
    <message>
        <source>办件详情 — {case_no}</source>
        <translation>Case details — {case_no}</translation>
    </message>
    <message>
        <source>受理编号：</source>
        <translation>Case No.:</translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Service item:</translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>收件时间：</source>
        <translation>Received:</translation>
    </message>
    <message>
        <source>办结时限：</source>
        <translation>Due:</translation>
    </message>
    <message>
        <source>需补齐材料：</source>
        <translation>Missing materials:</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>材料名称</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>电子材料</source>
        <translation>Electronic materials</translation>
    </message>
    <message>
        <source>办理过程</source>
        <translation>History</translation>
    </message>
    <message>
        <source>上级意见</source>
        <translation>Opinions from higher units</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>通知书</source>
        <translation>Notices</translation>
    </message>
    <message>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>已签名</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>重新打印所选通知书(&amp;P)</source>
        <translation>&amp;Print the selected notice again</translation>
    </message>
    <message>
        <source>未开始计时</source>
        <translation>Clock not started</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
</context>
<context>
    <name>CaseFilterBar</name>
    <message>
        <source>全部状态</source>
        <extracomment>items shown with at least this many characters before the combo box elides them a control changed: the list should be run again</extracomment>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>全部时限</source>
        <translation>All time limits</translation>
    </message>
    <message>
        <source>临近</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>临近或超期</source>
        <translation>Due soon or overdue</translation>
    </message>
    <message>
        <source>全部事项</source>
        <translation>All service items</translation>
    </message>
    <message>
        <source>今日(&amp;T)</source>
        <translation>&amp;Today</translation>
    </message>
    <message>
        <source>只看今天收件的办件</source>
        <translation>Only cases received today</translation>
    </message>
    <message>
        <source>我的(&amp;M)</source>
        <translation>&amp;Mine</translation>
    </message>
    <message>
        <source>只看我经手的办件（由我收件、受理、审查或办理过）</source>
        <translation>Only cases I took a step on (received, accepted, reviewed or decided)</translation>
    </message>
    <message>
        <source>退回(&amp;R)</source>
        <translation>&amp;Returned</translation>
    </message>
    <message>
        <source>只看上级退回、现由本单位办理的办件</source>
        <translation>Only cases a higher unit returned, now handled by this unit again</translation>
    </message>
    <message>
        <source>状态(&amp;S)</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <source>时限(&amp;L)</source>
        <translation>Time &amp;limit</translation>
    </message>
    <message>
        <source>事项(&amp;I)</source>
        <translation>Service &amp;item</translation>
    </message>
    <message>
        <source>{name}（{count}）</source>
        <translation>{name} ({count})</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>受理编号</source>
        <extracomment>``ids -&gt; rows by id`` (``queries.case_rows`` bound to a context); ids it omits show empty. a case a higher unit returned (退回): its text and marker what a click on each column title sorts by (in SQL) row of each id, made when first asked for (row_of) and dropped when the list changes</extracomment>
        <translation>Case No.</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>收件时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>办结时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>时限状态</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>{unit}退回：{text}</source>
        <translation>Returned by {unit}: {text}</translation>
    </message>
    <message>
        <source>上级单位</source>
        <translation>the higher unit</translation>
    </message>
    <message>
        <source>该年度的节假日安排尚未公布，暂按周一至周五计算</source>
        <translation>The public holidays of that year are not known yet; counted Monday to Friday for now</translation>
    </message>
    <message>
        <source>未在计时（尚未受理、已中止计时或已办结）</source>
        <translation>Clock not running (not accepted yet, suspended or closed)</translation>
    </message>
    <message>
        <source>退</source>
        <translation>R</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>程序遇到了内部错误（不是您的操作问题），错误已记录到日志。
请点击「复制错误信息」，发送给技术支持。已保存的办件不受影响。</source>
        <translation>The program hit an internal error (not something you did wrong); it has been logged.
Please click “Copy error details” and send them to technical support. Saved cases are not affected.</translation>
    </message>
    <message>
        <source>复制错误信息</source>
        <translation>Copy error details</translation>
    </message>
</context>
<context>
    <name>DefectsDialog</name>
    <message>
        <source>一次性告知</source>
        <extracomment>what is usually wrong with a material, offered first (the clerk may type anything)</extracomment>
        <translation>One-time notification</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>需补齐或补正的内容</source>
        <translation>What must be supplied or corrected</translation>
    </message>
    <message>
        <source>添加一项(&amp;N)</source>
        <translation>Add a line (&amp;N)</translation>
    </message>
    <message>
        <source>出具一次性告知书(&amp;O)</source>
        <translation>Issue the &amp;one-time notice</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>请列出全部需补齐或补正的材料，并写明每项的问题：</source>
        <translation>List every material to be supplied or corrected, and what is wrong with each:</translation>
    </message>
    <message>
        <source>请至少列出一项需补齐或补正的材料</source>
        <translation>List at least one material to be supplied or corrected</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>类型</source>
        <extracomment>While the page is shown it looks again this often, so a device plugged in (or pulled) shows up without the clerk pressing 刷新. The list was (re)loaded. A test or a choice finished; its text is in :attr:`result`. A device was chosen: the context with the new setting, for the window to hand to every part. the preview opened by the last camera test (for the tests)</extracomment>
        <translation>Type</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>使用中</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>设备标识</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>测试所选设备</source>
        <translation>Test selected device</translation>
    </message>
    <message>
        <source>使用此设备</source>
        <translation>Use this device</translation>
    </message>
    <message>
        <source>选择一台设备后可点击「测试所选设备」。</source>
        <translation>Select a device, then click “Test selected device”.</translation>
    </message>
    <message>
        <source>正在查找设备…</source>
        <translation>Looking for devices…</translation>
    </message>
    <message>
        <source>正在测试“{label}”…</source>
        <translation>Testing “{label}”…</translation>
    </message>
    <message>
        <source>高拍仪预览 — {label}</source>
        <translation>Document camera — {label}</translation>
    </message>
    <message>
        <source>已关闭预览。</source>
        <translation>Preview closed.</translation>
    </message>
    <message>
        <source>正在保存设置…</source>
        <translation>Saving the setting…</translation>
    </message>
    <message>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <source>找到 {n} 台设备。</source>
        <translation>{n} device(s) found.</translation>
    </message>
    <message>
        <source>已设为使用的{kind}：{label}</source>
        <translation>Now using {label} as the {kind}.</translation>
    </message>
</context>
<context>
    <name>EvaluationWindow</name>
    <message>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <source>服务态度差</source>
        <translation>Unfriendly service</translation>
    </message>
    <message>
        <source>办事效率低</source>
        <translation>Slow service</translation>
    </message>
    <message>
        <source>等候时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <source>多次跑动</source>
        <translation>Had to come several times</translation>
    </message>
    <message>
        <source>材料要求不清</source>
        <translation>Unclear what to bring</translation>
    </message>
    <message>
        <source>未一次性告知</source>
        <translation>Not told everything missing at once</translation>
    </message>
    <message>
        <source>要求重复提交材料</source>
        <translation>Asked again for documents already on file</translation>
    </message>
    <message>
        <source>超时办理</source>
        <translation>Time limit exceeded</translation>
    </message>
    <message>
        <source>网上与窗口流程不一致</source>
        <translation>Online and counter steps differ</translation>
    </message>
    <message>
        <source>收费不规范</source>
        <translation>Irregular fees</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>请您对本次服务作出评价</source>
        <translation>Please rate the service you received</translation>
    </message>
    <message>
        <source>请选择不满意的原因（可多选）</source>
        <translation>Please choose what was wrong (one or more)</translation>
    </message>
    <message>
        <source>其他意见（可不填，最多200字）</source>
        <translation>Other comments (optional, up to 200 characters)</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <source>请先选择评价等级</source>
        <translation>Please choose a rating first</translation>
    </message>
    <message>
        <source>请至少选择一项不满意的原因</source>
        <translation>Please choose at least one reason</translation>
    </message>
</context>
<context>
    <name>FeePanel</name>
    <message>
        <source>如 80 或 80.50</source>
        <translation>e.g. 80 or 80.50</translation>
    </message>
    <message>
        <source>公共支付平台订单号</source>
        <translation>Public payment platform order number</translation>
    </message>
    <message>
        <source>金额（元）(&amp;M)</source>
        <translation>A&amp;mount (yuan)</translation>
    </message>
    <message>
        <source>收费依据(&amp;B)</source>
        <translation>&amp;Basis</translation>
    </message>
    <message>
        <source>缴费单号(&amp;R)</source>
        <translation>Payment &amp;reference</translation>
    </message>
    <message>
        <source>登记缴费(&amp;F)</source>
        <translation>Record &amp;fee</translation>
    </message>
    <message>
        <source>本事项不收费</source>
        <translation>This service is free of charge</translation>
    </message>
    <message>
        <source>收费标准：{amount}</source>
        <translation>Fee: {amount}</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>收件</source>
        <extracomment>a page of material ``name`` was stored during a scan, making ``count`` pages a step finished (card read, scan, decision); its outcome is in :attr:`message` the case was received (and decided): its case number the clerk followed the link to an open case of the same applicant and item: its id the applicant&apos;s evaluation screen was opened (the window keeps it: it outlives this dialog)</extracomment>
        <translation>Receive</translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Item:</translation>
    </message>
    <message>
        <source>页面有质量问题仍要收件时，在此注明理由</source>
        <translation>To receive pages with quality problems anyway, give the reason here</translation>
    </message>
    <message>
        <source>正在读取身份证…</source>
        <translation>Reading the ID card…</translation>
    </message>
    <message>
        <source>更换事项(&amp;E)</source>
        <extracomment>the item search, shown until an item is chosen (and again for 更换事项)</extracomment>
        <translation>Change it&amp;em</translation>
    </message>
    <message>
        <source>进纸器扫描(&amp;F)</source>
        <extracomment>how long after the last keystroke the applicant&apos;s fields are saved</extracomment>
        <translation>Scan from &amp;feeder</translation>
    </message>
    <message>
        <source>平板扫描(&amp;B)</source>
        <translation>Scan from flat&amp;bed</translation>
    </message>
    <message>
        <source>高拍仪拍摄(&amp;G)</source>
        <translation>Document camera (&amp;G)</translation>
    </message>
    <message>
        <source>导入文件(&amp;I)…</source>
        <translation>&amp;Import files…</translation>
    </message>
    <message>
        <source>受理(&amp;A)</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <source>一次性告知(&amp;M)</source>
        <translation>Notify &amp;missing</translation>
    </message>
    <message>
        <source>不予受理(&amp;J)</source>
        <translation>Re&amp;ject</translation>
    </message>
    <message>
        <source>仅收件(&amp;S)</source>
        <translation>Receive only (&amp;S)</translation>
    </message>
    <message>
        <source>取消收件</source>
        <translation>Cancel intake</translation>
    </message>
    <message>
        <source>页面</source>
        <extracomment>an open case of this applicant for this item, with a link to it</extracomment>
        <translation>Pages</translation>
    </message>
    <message>
        <source>办事指南</source>
        <translation>Guide</translation>
    </message>
    <message>
        <source>收费</source>
        <extracomment>the payment, for an item that charges a fee: recorded with the case once it is accepted</extracomment>
        <translation>Fee</translation>
    </message>
    <message>
        <source>正在打开…</source>
        <extracomment>the document camera&apos;s live view while it is open the material whose pages the strip shows the decided case (after a decision), and what follows it where notices print instead of the unit&apos;s printer (tests print to a PDF file)</extracomment>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>已继续上次未完成的收件</source>
        <translation>Continuing the unfinished intake</translation>
    </message>
    <message>
        <source>请先选择事项，并在材料清单中选择要扫描的材料</source>
        <translation>Choose the item first, then the material to scan in the checklist</translation>
    </message>
    <message>
        <source>正在扫描“{name}”…</source>
        <translation>Scanning “{name}”…</translation>
    </message>
    <message>
        <source>请先选择事项，并在材料清单中选择要拍摄的材料</source>
        <translation>Choose the item first, then the material to photograph in the checklist</translation>
    </message>
    <message>
        <source>高拍仪 — {name}</source>
        <translation>Document camera — {name}</translation>
    </message>
    <message>
        <source>正在处理拍摄的“{name}”…</source>
        <translation>Processing the photograph of “{name}”…</translation>
    </message>
    <message>
        <source>“{name}”已拍摄，共 {n} 页</source>
        <translation>“{name}” photographed: {n} page(s)</translation>
    </message>
    <message>
        <source>请先在材料清单中选择要导入的材料</source>
        <translation>Choose the material to import into in the checklist first</translation>
    </message>
    <message>
        <source>导入“{name}”的文件</source>
        <translation>Import files of “{name}”</translation>
    </message>
    <message>
        <source>图片或PDF (*.jpg *.jpeg *.png *.tif *.tiff *.pdf)</source>
        <translation>Images or PDF (*.jpg *.jpeg *.png *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>“{name}”已导入 {n} 页</source>
        <translation>{n} pages imported into “{name}”</translation>
    </message>
    <message>
        <source>正在更换事项…</source>
        <translation>Changing the item…</translation>
    </message>
    <message>
        <source>注意：该申请人已有同一事项的在办件 {links}，请核实是否重复申请</source>
        <translation>Note: this applicant already has an open case of this item, {links}; check that this is not the same application again</translation>
    </message>
    <message>
        <source>更换事项</source>
        <translation>Change item</translation>
    </message>
    <message>
        <source>新事项的材料清单中没有以下材料，更换后将删除其已扫描的页面：
{names}

确定更换吗？</source>
        <translation>The new item&apos;s checklist does not list these materials; their scanned pages will be deleted:
{names}

Change the item?</translation>
    </message>
    <message>
        <source>请先选择办理事项</source>
        <translation>Choose the item first</translation>
    </message>
    <message>
        <source>缺少必要材料：{names}，不能受理。请申请人补齐，或出具一次性告知书</source>
        <translation>Required materials missing: {names}. The case cannot be accepted: ask the applicant for them, or issue a one-time notice</translation>
    </message>
    <message>
        <source>正在受理…</source>
        <translation>Accepting…</translation>
    </message>
    <message>
        <source>未提供</source>
        <translation>Not provided</translation>
    </message>
    <message>
        <source>正在出具一次性告知…</source>
        <translation>Issuing the one-time notice…</translation>
    </message>
    <message>
        <source>正在办理不予受理…</source>
        <translation>Rejecting…</translation>
    </message>
    <message>
        <source>正在收件…</source>
        <translation>Receiving…</translation>
    </message>
    <message>
        <source>确定取消这次收件吗？已扫描的页面和填写的信息将被删除。</source>
        <translation>Cancel this intake? The scanned pages and the details typed will be deleted.</translation>
    </message>
    <message>
        <source>已读取身份证：{name}</source>
        <translation>ID card read: {name}</translation>
    </message>
    <message>
        <source>正在扫描“{name}”：第 {n} 页</source>
        <translation>Scanning “{name}”: page {n}</translation>
    </message>
    <message>
        <source>“{name}”已扫描 {n} 页</source>
        <translation>“{name}”: {n} page(s) scanned</translation>
    </message>
    <message>
        <source>已填写：{amount} 元，受理后登记</source>
        <translation>Entered: {amount} yuan, recorded once the case is received</translation>
    </message>
    <message>
        <source>已{status}，受理编号 {case_no}</source>
        <translation>Done ({status}), case number {case_no}</translation>
    </message>
</context>
<context>
    <name>ItemGuidePanel</name>
    <message>
        <source>申请材料（★为必需）：</source>
        <translation>Materials (★ required):</translation>
    </message>
    <message>
        <source>选中一个事项，这里显示它的办事指南</source>
        <translation>Select an item to see its service guide here</translation>
    </message>
    <message>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <source>受理条件：</source>
        <translation>Conditions: </translation>
    </message>
    <message>
        <source>即办件，当场办结</source>
        <translation>Settled on the spot</translation>
    </message>
    <message>
        <source>{days}个工作日（法定{legal}个工作日）</source>
        <translation>{days} working day(s) (statutory {legal})</translation>
    </message>
    <message>
        <source>承诺时限：</source>
        <translation>Promised time: </translation>
    </message>
    <message>
        <source>{date}（{weekday}）</source>
        <translation>{date} ({weekday})</translation>
    </message>
    <message>
        <source>，暂定：该年节假日安排尚未公布，按周一至周五计算</source>
        <translation>; provisional: that year&apos;s public holidays are not published yet, counted Monday to Friday</translation>
    </message>
    <message>
        <source>今日受理办结期限：</source>
        <translation>Due if accepted today: </translation>
    </message>
    <message>
        <source>{amount}（依据：{basis}）</source>
        <translation>{amount} (basis: {basis})</translation>
    </message>
    <message>
        <source>不收费</source>
        <translation>No fee</translation>
    </message>
    <message>
        <source>收费：</source>
        <translation>Fee: </translation>
    </message>
    <message>
        <source>办理层级：</source>
        <translation>Decided at: </translation>
    </message>
    <message>
        <source>{tier}，{department}</source>
        <translation>{tier}, {department}</translation>
    </message>
    <message>
        <source>咨询/投诉电话：</source>
        <translation>Enquiries/complaints: </translation>
    </message>
    <message>
        <source>咨询 {consult}，投诉 {complaint}</source>
        <translation>enquiries {consult}, complaints {complaint}</translation>
    </message>
    <message>
        <source>{form}，{copies}份</source>
        <translation>{form}, {copies} cop(ies)</translation>
    </message>
    <message>
        <source>；{note}</source>
        <translation>; {note}</translation>
    </message>
    <message>
        <source>星期一</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>星期二</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>星期三</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>星期四</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>星期五</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>星期六</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>星期日</source>
        <translation>Sunday</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>事项名称、编码或拼音首字母，如 gtgs</source>
        <extracomment>a search slower than this (ms) on the GUI thread moves the next ones to the background how many results the list shows the clerk chose an item (Enter or a double click): its 基本编码 the highlighted item changed: its code, &quot;&quot; when the list is empty the list shows the results for the field&apos;s current text (or the short list when it is empty)</extracomment>
        <translation>Item name, code or pinyin initials, e.g. gtgs</translation>
    </message>
    <message>
        <source>收藏或取消收藏所选事项（Ctrl+D）</source>
        <translation>Add the selected item to favourites or remove it (Ctrl+D)</translation>
    </message>
    <message>
        <source>事项名称</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>基本编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>办理层级</source>
        <translation>Decided at</translation>
    </message>
    <message>
        <source>承诺时限</source>
        <translation>Promised</translation>
    </message>
    <message>
        <source>收藏（★）和最近使用的事项</source>
        <translation>Favourite (★) and recently used items</translation>
    </message>
    <message>
        <source>输入事项名称、编码或拼音查找；常用事项可按 Ctrl+D 收藏</source>
        <translation>Type an item&apos;s name, code or pinyin to search; Ctrl+D keeps an item as a favourite</translation>
    </message>
    <message>
        <source>找到 {count} 项</source>
        <translation>{count} found</translation>
    </message>
    <message>
        <source>前 {count} 项，请输入更多文字缩小范围</source>
        <translation>First {count}: type more to narrow the list</translation>
    </message>
    <message>
        <source>没有找到“{text}”，可换用名称中的字、编码或拼音首字母</source>
        <translation>Nothing found for “{text}”: try characters of the name, a code or pinyin initials</translation>
    </message>
    <message>
        <source>即办</source>
        <translation>On the spot</translation>
    </message>
    <message>
        <source>{days}个工作日</source>
        <translation>{days} working day(s)</translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <source>正常</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>临近</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <source>窗口已锁定</source>
        <extracomment>the password typed to unlock</extracomment>
        <translation>Window locked</translation>
    </message>
    <message>
        <source>为保护申请人的个人信息，窗口已锁定。正在办理的收件不会丢失，输入口令即可继续。</source>
        <translation>The window was locked to protect applicants&apos; personal data. Work in progress is kept: enter your password to continue.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>当前登录：{person}</source>
        <translation>Signed in: {person}</translation>
    </message>
    <message>
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>窗口 — 政务服务受理</source>
        <translation>Chuangkou — Government service counter</translation>
    </message>
    <message>
        <source>收件</source>
        <translation>Receive</translation>
    </message>
    <message>
        <source>新建办件：读身份证、扫描材料、收件（Ctrl+N）</source>
        <translation>New case: read the ID card, scan the materials, receive (Ctrl+N)</translation>
    </message>
    <message>
        <source>受理编号、姓名、事项或证件号码</source>
        <extracomment>A list of ids is in the table (after start-up, a search or a filter change). The status bar&apos;s 临近/超期 counts match the shown list. Another person signed in: the new :class:`AppContext`, for every part that holds one. contexts opened on a switch of user (a store of their own): closed by release_contexts the list&apos;s order: kept for the whole session (a search, a filter, a switch of user)</extracomment>
        <translation>Case number, name, service item or ID number</translation>
    </message>
    <message>
        <source>按受理编号、申请人姓名、事项名称搜索；输入完整的身份证号码或统一社会信用代码，查找该申请人的办件</source>
        <translation>Search by case number, applicant name or service item; type a whole ID number or unified social credit code to find that applicant&apos;s cases</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <extracomment>the signed-in person&apos;s unfinished intakes (a crash, a closed screen): offered here</extracomment>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>未选事项</source>
        <extracomment>locking, unlocking, switching user; the tabs are covered while locked the intake dialog last opened (for the tests) the unfinished intakes offered now</extracomment>
        <translation>No item chosen</translation>
    </message>
    <message>
        <source>{n} 页</source>
        <translation>{n} pages</translation>
    </message>
    <message>
        <source>未完成的收件（{n}）</source>
        <translation>Unfinished intakes ({n})</translation>
    </message>
    <message>
        <source>在线登录</source>
        <translation>signed in online</translation>
    </message>
    <message>
        <source>离线登录</source>
        <translation>signed in offline</translation>
    </message>
    <message>
        <source>{person}· {how}</source>
        <translation>{person} · {how}</translation>
    </message>
    <message>
        <source>｜</source>
        <translation> | </translation>
    </message>
    <message>
        <source>共 {count} 件办件</source>
        <translation>{count} cases</translation>
    </message>
    <message>
        <source>时限统计中…</source>
        <translation>counting deadlines…</translation>
    </message>
    <message>
        <source>临近 {count} 件</source>
        <translation>{count} due soon</translation>
    </message>
    <message>
        <source>超期 {count} 件</source>
        <translation>{count} overdue</translation>
    </message>
    <message>
        <source>退回 {count} 件</source>
        <translation>{count} returned</translation>
    </message>
</context>
<context>
    <name>MaterialForm</name>
    <message>
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>复印件</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>原件和复印件</source>
        <translation>Original and copy</translation>
    </message>
    <message>
        <source>电子</source>
        <translation>Electronic</translation>
    </message>
</context>
<context>
    <name>MaterialList</name>
    <message>
        <source>材料</source>
        <extracomment>the clerk chose another material material, mark, on</extracomment>
        <translation>Material</translation>
    </message>
    <message>
        <source>必需</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>已核验原件</source>
        <translation>Original checked</translation>
    </message>
    <message>
        <source>未提供</source>
        <translation>Not provided</translation>
    </message>
    <message>
        <source>必需材料：</source>
        <translation>Required materials:</translation>
    </message>
    <message>
        <source>尚缺：{names}</source>
        <translation>Still missing: {names}</translation>
    </message>
</context>
<context>
    <name>NoticeSignDialog</name>
    <message>
        <source>签名确认</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>受送达人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>请{who}在下方签名，确认收到{kind}（受理编号 {case_no}）</source>
        <translation>{who}: please sign below to confirm receipt of the {kind} (case no. {case_no})</translation>
    </message>
</context>
<context>
    <name>PageStrip</name>
    <message>
        <source>查看(&amp;V)</source>
        <extracomment>page number (from 1) to open in the viewer page number, quarter turns clockwise page number, where it goes (page number)</extracomment>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>向右旋转(&amp;R)</source>
        <translation>Turn &amp;right</translation>
    </message>
    <message>
        <source>向左旋转(&amp;L)</source>
        <translation>Turn &amp;left</translation>
    </message>
    <message>
        <source>前移(&amp;B)</source>
        <translation>Move &amp;back</translation>
    </message>
    <message>
        <source>后移(&amp;F)</source>
        <translation>Move &amp;forward</translation>
    </message>
    <message>
        <source>删除此页(&amp;D)</source>
        <translation>&amp;Delete page</translation>
    </message>
    <message>
        <source>⚠ 请检查</source>
        <translation>⚠ check</translation>
    </message>
    <message>
        <source>第{n}页</source>
        <translation>Page {n}</translation>
    </message>
</context>
<context>
    <name>PageViewer</name>
    <message>
        <source>上一页(&amp;P)</source>
        <extracomment>the longest side the viewer decodes a page to (a 300 dpi A4 page is 3508 px)</extracomment>
        <translation>&amp;Previous</translation>
    </message>
    <message>
        <source>下一页(&amp;N)</source>
        <translation>&amp;Next</translation>
    </message>
    <message>
        <source>放大(&amp;+)</source>
        <translation>Zoom in (&amp;+)</translation>
    </message>
    <message>
        <source>缩小(&amp;-)</source>
        <translation>Zoom out (&amp;-)</translation>
    </message>
    <message>
        <source>适合窗口(&amp;W)</source>
        <translation>Fit &amp;window</translation>
    </message>
    <message>
        <source>向右旋转(&amp;R)</source>
        <translation>Turn &amp;right</translation>
    </message>
    <message>
        <source>删除此页(&amp;D)</source>
        <translation>&amp;Delete page</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{title} — 第 {n} / {total} 页</source>
        <translation>{title} — page {n} of {total}</translation>
    </message>
    <message>
        <source>正在打开…</source>
        <translation>Opening…</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>不予受理</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>不予受理(&amp;J)</source>
        <translation>Re&amp;ject</translation>
    </message>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>不予受理的理由（将写入不予受理通知书）：</source>
        <translation>Reason for rejecting (printed on the rejection notice):</translation>
    </message>
    <message>
        <source>请填写不予受理的理由</source>
        <translation>Give the reason for rejecting</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>窗口受理</source>
        <translation>Window clerk</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>审批</source>
        <translation>Approver</translation>
    </message>
    <message>
        <source>效能监察</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>档案管理</source>
        <translation>Archivist</translation>
    </message>
    <message>
        <source>单位管理员</source>
        <translation>Unit administrator</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
</context>
<context>
    <name>SessionGuard</name>
    <message>
        <source>锁定</source>
        <extracomment>True when the window locked (personal data hidden), False when it unlocked another person signed in at the switch of user: their :class:`~app.services.signin.Unlocked`</extracomment>
        <translation>Lock</translation>
    </message>
    <message>
        <source>离开窗口时锁定，以免他人看到申请人信息（Ctrl+L）</source>
        <translation>Lock the window when you step away, so nobody sees applicants&apos; data (Ctrl+L)</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>换另一位工作人员登录，不必关闭窗口</source>
        <translation>Let another member of staff sign in without closing the window</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>切换用户</source>
        <extracomment>``(user, password, prefer_online) -&gt; Unlocked``: :func:`app.services.signin.sign_in` on one data folder (SignInRefused, a UserError, when the answer is no). Passed in, so the demo can keep its throwaway platform&apos;s tokens in memory. the password was right: the :class:`~app.services.signin.Unlocked` (then the dialog closes) a sign-in was refused; its words are in :attr:`message`</extracomment>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>窗口 — 登录</source>
        <translation>Chuangkou — Sign in</translation>
    </message>
    <message>
        <source>请换人登录</source>
        <extracomment>the sign-in that succeeded (None until then)</extracomment>
        <translation>Next person, please sign in</translation>
    </message>
    <message>
        <source>政务服务受理 — 请登录</source>
        <translation>Government service counter — please sign in</translation>
    </message>
    <message>
        <source>{name}（{user}）</source>
        <translation>{name} ({user})</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>用户名：</source>
        <translation>User name:</translation>
    </message>
    <message>
        <source>口令：</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <source>签名区</source>
        <extracomment>a stroke began, grew or the canvas was cleared</extracomment>
        <translation>Signature area</translation>
    </message>
    <message>
        <source>请在此处签名</source>
        <translation>Please sign here</translation>
    </message>
</context>
<context>
    <name>SignaturePadWidget</name>
    <message>
        <source>请在签名区签名</source>
        <extracomment>Screens whose reported physical dpi is outside this range are taken at their logical dpi (some monitors report no size, or a nonsensical one). check_signature&apos;s messages (NO_SIGNATURE, TOO_SHORT), so that lupdate offers them for translation.</extracomment>
        <translation>Please sign in the signature area</translation>
    </message>
    <message>
        <source>签名过短，请重新签名</source>
        <translation>The signature is too short. Please sign again.</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>已收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>待补齐材料</source>
        <translation>Awaiting materials</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>审查中</source>
        <translation>In review</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <source>已中止计时</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>准予</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>不予</source>
        <translation>Denied</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已出件</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
</context>
<context>
    <name>SyncQueueDialog</name>
    <message>
        <source>待上传的办件</source>
        <extracomment>the list was read again</extracomment>
        <translation>Cases waiting to go up</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>立即同步(&amp;S)</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>等待上传 {waiting} 件，被平台拒绝 {refused} 件</source>
        <translation>{waiting} waiting, {refused} refused by the platform</translation>
    </message>
    <message>
        <source>平台拒绝：{reason}</source>
        <translation>Refused by the platform: {reason}</translation>
    </message>
    <message>
        <source>（未说明理由）</source>
        <translation>(no reason given)</translation>
    </message>
    <message>
        <source>正在上传 {done} / {total}</source>
        <translation>Uploading {done} / {total}</translation>
    </message>
    <message>
        <source>等待上传（{size}）</source>
        <translation>Waiting ({size})</translation>
    </message>
    <message>
        <source>等待上传</source>
        <translation>Waiting</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>点击查看待上传的办件</source>
        <extracomment>the labels show the store&apos;s current sync state looks whether the platform answers between sync runs, and re-reads the counts</extracomment>
        <translation>Click to see the cases waiting to go up</translation>
    </message>
    <message>
        <source>离线工作（未设置市级平台）</source>
        <translation>Working offline (no city platform set)</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ 离线</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>待上传 {cases} 件（{size}）</source>
        <translation>{cases} cases waiting ({size})</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <source>从未同步成功</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>平台未接收 {n} 项操作（理由见办件）</source>
        <translation>The platform refused {n} action(s) (reasons on the cases)</translation>
    </message>
    <message>
        <source>{n} 项平台变更暂时无法处理，已暂存待重试</source>
        <translation>{n} change(s) from the platform could not be applied yet; kept to try again</translation>
    </message>
    <message>
        <source>上传</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <source>下载</source>
        <translation>Downloading</translation>
    </message>
</context>
<context>
    <name>Tier</name>
    <message>
        <source>乡镇（街道）</source>
        <extracomment>the catalogue&apos;s words for 办理层级 and 材料形式, for lupdate (the label is the source text)</extracomment>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>县（区）</source>
        <translation>County (district)</translation>
    </message>
    <message>
        <source>市</source>
        <translation>City</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>窗口 — 无法启动</source>
        <translation>Chuangkou — cannot start</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>打印预览 - {title}</source>
        <translation>Print preview - {title}</translation>
    </message>
</context>
</TS>
