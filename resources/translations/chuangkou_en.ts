<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionDialog</name>
    <message>
        <source>窗口自取</source>
        <translation>Collected at the window</translation>
    </message>
    <message>
        <source>邮寄</source>
        <translation>By post</translation>
    </message>
    <message>
        <source>自助终端</source>
        <translation>Self-service terminal</translation>
    </message>
    <message>
        <source>同意</source>
        <translation>Agree</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Disagree</translation>
    </message>
    <message>
        <source>属实</source>
        <translation>true to the promise</translation>
    </message>
    <message>
        <source>不属实</source>
        <translation>untrue</translation>
    </message>
    <message>
        <source>{action}(&amp;O)</source>
        <translation>{action} (&amp;O)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
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
    <message>
        <source>注销证照</source>
        <translation>Revoke licence</translation>
    </message>
    <message>
        <source>核查结果</source>
        <translation>Paper check</translation>
    </message>
    <message>
        <source>发起联审</source>
        <translation>Start joint review</translation>
    </message>
    <message>
        <source>联审意见</source>
        <translation>Joint review opinion</translation>
    </message>
    <message>
        <source>挂号督办</source>
        <translation>Supervision notice</translation>
    </message>
    <message>
        <source>督办回复</source>
        <translation>Answer to supervision</translation>
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
        <source>{status}，受理编号 {case_no}。正在出具{kind}…</source>
        <translation>{status}, case number {case_no}. Issuing the {kind}…</translation>
    </message>
    <message>
        <source>正在打印{kind}…</source>
        <translation>Printing the {kind}…</translation>
    </message>
    <message>
        <source>请受送达人在签名板上签名确认</source>
        <translation>Ask the recipient to sign on the signature pad</translation>
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
    <name>CaseActions</name>
    <message>
        <source>中止计时的原因（现场踏勘、专家评审、补正…）：</source>
        <translation>Why the clock is paused (site inspection, expert review, corrections…):</translation>
    </message>
    <message>
        <source>撤回原因（申请人提出撤回，可不填）：</source>
        <translation>Why the applicant withdraws (optional):</translation>
    </message>
    <message>
        <source>结果文书说明（可不填）：</source>
        <translation>Note on the result document (optional):</translation>
    </message>
    <message>
        <source>注销证照的理由（申请人申请注销、许可被撤销…）：</source>
        <translation>Reason for revoking the licence (the applicant asked, the permit was withdrawn…):</translation>
    </message>
</context>
<context>
    <name>CaseActionsBar</name>
    <message>
        <source>办理：</source>
        <translation>Actions:</translation>
    </message>
    <message>
        <source>该办件当前没有可办理的操作</source>
        <translation>Nothing can be done on this case now</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>未说明原因</source>
        <extracomment>Qt&apos;s translate, short (pyside6-lupdate finds these calls by their literal context) the longest a cell&apos;s text is shown in the table; the whole of it is in the tooltip the widest a column but the last grows to fit its texts (px); beyond, they wrap the most the overrides&apos; table takes above the pages (about four rows; it scrolls beyond)</extracomment>
        <translation>no reason given</translation>
    </message>
    <message>
        <source>被拒：{reason}</source>
        <translation>Refused: {reason}</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Not yet synced</translation>
    </message>
    <message>
        <source>报送{unit}</source>
        <translation>Forwarded to {unit}</translation>
    </message>
    <message>
        <source>本级意见：{text}</source>
        <translation>Own opinion: {text}</translation>
    </message>
    <message>
        <source>{unit}：{result}</source>
        <translation>{unit}: {result}</translation>
    </message>
    <message>
        <source>{material}：{what}</source>
        <translation>{material}: {what}</translation>
    </message>
    <message>
        <source>需补齐：{names}</source>
        <translation>Missing: {names}</translation>
    </message>
    <message>
        <source>承诺时限 {days} 个工作日</source>
        <translation>Promised within {days} working days</translation>
    </message>
    <message>
        <source>理由：{reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <source>质检放行：{reason}</source>
        <translation>Quality check overridden: {reason}</translation>
    </message>
    <message>
        <source>设备时间</source>
        <translation>Device time</translation>
    </message>
    <message>
        <source>平台时间</source>
        <translation>Platform time</translation>
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
        <source>说明</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>上报意见（报{unit}）</source>
        <translation>Opinion on forwarding (to {unit})</translation>
    </message>
    <message>
        <source>
· {material}：{what}</source>
        <translation>
· {material}: {what}</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>质检提示</source>
        <translation>Quality check</translation>
    </message>
    <message>
        <source>放行理由</source>
        <translation>Reason for accepting</translation>
    </message>
</context>
<context>
    <name>CaseDetailDialog</name>
    <message>
        <source>办件详情 — {case_no}</source>
        <extracomment>the size the dialog opens at, made smaller where the screen is (a 1024×700 counter PC) the box of a 退回: what to correct, per material</extracomment>
        <translation>Case details — {case_no}</translation>
    </message>
    <message>
        <source>意见(&amp;O)</source>
        <translation>&amp;Opinions</translation>
    </message>
    <message>
        <source>并排审查（F4）</source>
        <extracomment>挂号督办 waiting for an answer: above everything else (None when there is none) the open 退回&apos;s box (None when the case is not returned) 并排审查 of a case waiting for this unit&apos;s opinion</extracomment>
        <translation>Review side by side (F4)</translation>
    </message>
    <message>
        <source>{title}（{count}）</source>
        <translation>{title} ({count})</translation>
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
        <source>平台未接收：{why}</source>
        <translation>Refused by the platform: {why}</translation>
    </message>
    <message>
        <source>质检放行（{count} 页）：以下页面未通过质量检查，经办人注明理由后收取</source>
        <translation>Quality check overridden ({count} p.): these pages failed the quality checks and were accepted with the clerk&apos;s reason</translation>
    </message>
    <message>
        <source>暂无意见。上报时的本级意见和上级单位的意见会显示在这里。</source>
        <translation>No opinions yet. The opinion given when forwarding and the opinions of higher units appear here.</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>材料(&amp;L)</source>
        <translation>Materia&amp;ls</translation>
    </message>
    <message>
        <source>办理过程(&amp;G)</source>
        <translation>Pro&amp;gress</translation>
    </message>
    <message>
        <source>通知书(&amp;N)</source>
        <translation>&amp;Notices</translation>
    </message>
    <message>
        <source>联审(&amp;Q)</source>
        <translation>Joint review (&amp;Q)</translation>
    </message>
    <message>
        <source>{unit}退回，请按下列要求补正材料后重新上报：</source>
        <translation>{unit} returned the case. Correct the materials as listed, then forward it again:</translation>
    </message>
    <message>
        <source>上级单位</source>
        <translation>the higher unit</translation>
    </message>
    <message>
        <source>· {material}：{what}</source>
        <translation>· {material}: {what}</translation>
    </message>
    <message>
        <source>意见：{text}</source>
        <translation>Opinion: {text}</translation>
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
        <source>办理单位：</source>
        <translation>Handled by:</translation>
    </message>
    <message>
        <source>告知承诺核查：</source>
        <translation>Paper check (promise):</translation>
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
        <source>时间</source>
        <translation>Time</translation>
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
        <source>电子印章</source>
        <translation>E-seal</translation>
    </message>
    <message>
        <source>已签名</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>该办件暂无通知书。</source>
        <translation>No notices have been issued for this case.</translation>
    </message>
    <message>
        <source>重新打印所选通知书(&amp;P)</source>
        <translation>&amp;Print the selected notice again</translation>
    </message>
    <message>
        <source>验证电子印章(&amp;V)</source>
        <translation>&amp;Verify e-seal</translation>
    </message>
    <message>
        <source>未盖章</source>
        <translation>Not sealed</translation>
    </message>
    <message>
        <source>已盖章（%1）</source>
        <translation>Sealed (%1)</translation>
    </message>
    <message>
        <source>，共%1枚</source>
        <translation>, %1 seals</translation>
    </message>
    <message>
        <source>，待加时间戳</source>
        <translation>, timestamp pending</translation>
    </message>
    <message>
        <source>电子印章验证结果</source>
        <translation>E-seal check</translation>
    </message>
    <message>
        <source>待核查纸质材料，须于 {due} 前完成</source>
        <translation>Paper materials to be checked by {due}</translation>
    </message>
    <message>
        <source>核查结果：{result}</source>
        <translation>Paper check: {result}</translation>
    </message>
    <message>
        <source>&#x3000;请注销已出具的证照</source>
        <translation>&#x3000;Please revoke the licence issued</translation>
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
        <source>待我审查(&amp;V)</source>
        <translation>To re&amp;view</translation>
    </message>
    <message>
        <source>只看下级单位上报至本单位、等待本单位出具意见的办件</source>
        <translation>Only cases forwarded to this unit from below that wait for its opinion</translation>
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
        <source>待核查(&amp;H)</source>
        <translation>Paper c&amp;heck due</translation>
    </message>
    <message>
        <source>只看已先行准予、纸质材料尚未核查的告知承诺件</source>
        <translation>Only cases approved on the applicant&apos;s promise whose paper materials are not checked yet</translation>
    </message>
    <message>
        <source>待联审(&amp;J)</source>
        <translation>Awaiting our &amp;joint opinion</translation>
    </message>
    <message>
        <source>只看请本单位参加联审、本单位尚未反馈意见的办件</source>
        <translation>Only cases whose joint review asks this unit for an opinion it has not given yet</translation>
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
    <name>CaseMenu</name>
    <message>
        <source>该办件当前没有可办理的操作</source>
        <translation>Nothing can be done on this case now</translation>
    </message>
</context>
<context>
    <name>CasePages</name>
    <message>
        <source>{name}（{count} 页）</source>
        <extracomment>a strip&apos;s height: one row of thumbnails, their captions, and a horizontal scroll bar material name → its strip, in the order of the case material name → the label of a material that is a held licence (免证)</extracomment>
        <translation>{name} ({count} p.)</translation>
    </message>
    <message>
        <source>该办件没有电子材料</source>
        <translation>This case has no electronic materials</translation>
    </message>
    <message>
        <source>{name}：电子证照（免证）
证照标识 {id}</source>
        <translation>{name}: e-licence held by the applicant (no submission needed)
Licence identifier {id}</translation>
    </message>
    <message>
        <source>证照文件尚未下载到本机，同步后可导出查看</source>
        <translation>The licence file is not on this PC yet; sync, then export it to read it</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>受理编号</source>
        <extracomment>``ids -&gt; rows by id`` (``queries.case_rows`` bound to a context); ids it omits show empty. a case a higher unit returned (退回): its text and marker the unit that sent the case up to this one (上报), by name what a click on each column title sorts by (in SQL) row of each id, made when first asked for (row_of) and dropped when the list changes</extracomment>
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
        <source>报送单位</source>
        <translation>Sent by</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>待联审</source>
        <translation>Awaiting our joint opinion</translation>
    </message>
    <message>
        <source>该件已被挂号督办，请在办件详情中查看并回复</source>
        <translation>A supervision notice (挂号督办) was sent on this case: open its details to read and answer it</translation>
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
    <name>DecideDialog</name>
    <message>
        <source>准予(&amp;Y)</source>
        <translation>&amp;Approve</translation>
    </message>
    <message>
        <source>不予(&amp;N)</source>
        <translation>&amp;Deny</translation>
    </message>
    <message>
        <source>决定：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <source>理由或说明(&amp;T)：</source>
        <translation>Reason or note (&amp;T):</translation>
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
    <name>DeliverDialog</name>
    <message>
        <source>送达方式(&amp;M)：</source>
        <translation>Delivery &amp;method:</translation>
    </message>
    <message>
        <source>邮寄单号(&amp;N)：</source>
        <translation>Tracking &amp;number:</translation>
    </message>
    <message>
        <source>取件码(&amp;N)：</source>
        <translation>Pick-up code (&amp;N):</translation>
    </message>
    <message>
        <source>送达后请受送达人在签名板上签收送达回证</source>
        <translation>After delivery the recipient signs the proof of service on the signature pad</translation>
    </message>
    <message>
        <source>送达回证将打印出来，随结果交付</source>
        <translation>The proof of service is printed and goes out with the result</translation>
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
    <name>FiguresPage</name>
    <message>
        <source>本机统计（本单位，离线可用）</source>
        <extracomment>months offered, counting back from the current one the figures shown now (None before the first count)</extracomment>
        <translation>Counted on this PC (this unit, works offline)</translation>
    </message>
    <message>
        <source>市级平台统计（本单位及下级单位）</source>
        <translation>Counted by the city platform (this unit and the units below)</translation>
    </message>
    <message>
        <source>统计(&amp;C)</source>
        <translation>&amp;Count</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>月份(&amp;M)</source>
        <translation>&amp;Month</translation>
    </message>
    <message>
        <source>正在统计……</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>快递送达</source>
        <translation>Delivered by post</translation>
    </message>
    <message>
        <source>{month} 月报，共 {count} 个单位；统计于 {at:%H:%M}</source>
        <translation>Monthly figures {month}, {count} units; counted at {at:%H:%M}</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>导出月报</source>
        <translation>Export the monthly figures</translation>
    </message>
    <message>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>上报至(&amp;U)：</source>
        <translation>Report &amp;up to:</translation>
    </message>
    <message>
        <source>本级意见(&amp;T)：</source>
        <translation>This unit&apos;s opinion (&amp;T):</translation>
    </message>
</context>
<context>
    <name>HeldLicenceOffer</name>
    <message>
        <source>已有电子证照（免证）</source>
        <translation>E-licences the applicant already holds</translation>
    </message>
    <message>
        <source>{material}：{licence}（编号 {id}，有效期至 {until}）</source>
        <translation>{material}: {licence} (no. {id}, valid until {until})</translation>
    </message>
    <message>
        <source>长期</source>
        <translation>no expiry</translation>
    </message>
    <message>
        <source>使用已有电子证照（免提交）(&amp;Z)</source>
        <translation>Use the held e-licence (no paper) (&amp;Z)</translation>
    </message>
    <message>
        <source>平台暂时无法连接，以下为 {n} 分钟前的查询结果</source>
        <translation>The platform cannot be reached; this is the answer of {n} minutes ago</translation>
    </message>
    <message>
        <source>平台暂时无法连接，以下为 {n} 小时前的查询结果</source>
        <translation>The platform cannot be reached; this is the answer of {n} hours ago</translation>
    </message>
    <message>
        <source>平台暂时无法连接，以下为 {n} 天前的查询结果</source>
        <translation>The platform cannot be reached; this is the answer of {n} days ago</translation>
    </message>
    <message>
        <source>“{name}”改为扫描</source>
        <translation>“{name}” will be scanned instead</translation>
    </message>
    <message>
        <source>正在下载电子证照…</source>
        <translation>Downloading the e-licence…</translation>
    </message>
    <message>
        <source>改为扫描(&amp;Z)</source>
        <translation>Scan instead (&amp;Z)</translation>
    </message>
    <message>
        <source>“{name}”使用电子证照，免提交</source>
        <translation>“{name}” is the held e-licence: no paper needed</translation>
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
        <source>当场办结(&amp;K)</source>
        <extracomment>a 即办件 is decided, issued and handed over at once (shown for such items only)</extracomment>
        <translation>Settle now (&amp;K)</translation>
    </message>
    <message>
        <source>即办件：受理并当场作出准予决定、出件，申请人签收送达回证</source>
        <translation>Immediate item: accept, grant and issue at once; the applicant signs the service receipt</translation>
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
        <source>正在重新扫描“{name}”第 {n} 页…</source>
        <translation>Scanning page {n} of “{name}” again…</translation>
    </message>
    <message>
        <source>正在扫描，插入到“{name}”第 {n} 页之前…</source>
        <translation>Scanning, to insert before page {n} of “{name}”…</translation>
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
        <source>正在受理…</source>
        <translation>Accepting…</translation>
    </message>
    <message>
        <source>正在当场办结…</source>
        <translation>Settling on the spot…</translation>
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
        <source>{status}，受理编号 {case_no}</source>
        <translation>{status}, case number {case_no}</translation>
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
        <source>；告知承诺：凭申请人书面承诺先行审批，准予后{days}个工作日内核查纸质材料</source>
        <translation>; approval on promise: approved on the applicant&apos;s written promise, paper materials checked within {days} working days after approval</translation>
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
    <name>JointOpinionDialog</name>
    <message>
        <source>联审结论(&amp;R)：</source>
        <translation>&amp;Result:</translation>
    </message>
    <message>
        <source>意见内容(&amp;T)：</source>
        <translation>Opinion (&amp;T):</translation>
    </message>
</context>
<context>
    <name>JointPanel</name>
    <message>
        <source>必须参加的部门均同意</source>
        <translation>every required department agrees</translation>
    </message>
    <message>
        <source>全部联审部门均同意</source>
        <translation>every department asked agrees</translation>
    </message>
    <message>
        <source>联审规则：{rule}。已反馈 {answered}/{total} 个部门</source>
        <translation>Joint review rule: {rule}. {answered} of {total} departments have answered</translation>
    </message>
    <message>
        <source>，逾期未反馈：{names}</source>
        <translation>; late without an answer: {names}</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>反馈期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>必须参加</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>反馈情况</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>反馈时间</source>
        <translation>Answered at</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>已反馈</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>逾期未反馈</source>
        <translation>Late, no answer</translation>
    </message>
    <message>
        <source>未反馈</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <source>反馈期限已过，该部门尚未反馈意见</source>
        <translation>The due date has passed and this department has not answered</translation>
    </message>
</context>
<context>
    <name>JointReviewDialog</name>
    <message>
        <source>联审部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>反馈期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>必须参加</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>{name}必须参加</source>
        <translation>{name} required</translation>
    </message>
    <message>
        <source>选择参加联审的部门，并为每个部门定反馈期限：</source>
        <translation>Choose the departments for the joint review and give each one a due date:</translation>
    </message>
    <message>
        <source>尚未从平台取得部门名单，请先同步后再发起联审</source>
        <translation>The list of departments has not come from the platform yet: synchronise, then start the joint review</translation>
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
        <extracomment>A list of ids is in the table (after start-up, a search or a filter change). The status bar&apos;s 临近/超期 counts match the shown list. Another person signed in: the new :class:`AppContext`, for every part that holds one. The list was turned to the reviewer&apos;s queue (待我审查) for the person signed in. contexts opened on a switch of user (a store of their own): closed by release_contexts the list&apos;s order: kept for the whole session (a search, a filter, a switch of user)</extracomment>
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
        <source>效能监察</source>
        <extracomment>效能监察: shown to supervisors only</extracomment>
        <translation>Supervision</translation>
    </message>
    <message>
        <source>月报</source>
        <translation>Monthly figures</translation>
    </message>
    <message>
        <source>未选事项</source>
        <extracomment>locking, unlocking, switching user; the tabs are covered while locked the intake dialog last opened (for the tests) the side-by-side review last opened (for the tests) the unfinished intakes offered now</extracomment>
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
        <source>电子证照</source>
        <translation>E-licence</translation>
    </message>
    <message>
        <source>使用申请人已有的电子证照，免提交纸质材料</source>
        <translation>The applicant&apos;s held e-licence stands for this material: no paper needed</translation>
    </message>
    <message>
        <source>尚缺：{names}</source>
        <translation>Still missing: {names}</translation>
    </message>
</context>
<context>
    <name>NoticeKind</name>
    <message>
        <source>受理通知书</source>
        <translation>acceptance notice</translation>
    </message>
    <message>
        <source>一次性告知书</source>
        <translation>one-time notice</translation>
    </message>
    <message>
        <source>不予受理通知书</source>
        <translation>rejection notice</translation>
    </message>
    <message>
        <source>补正通知书</source>
        <translation>correction notice</translation>
    </message>
    <message>
        <source>送达回证</source>
        <translation>proof of service</translation>
    </message>
    <message>
        <source>材料接收清单</source>
        <translation>receipt of materials</translation>
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
        <extracomment>how a page&apos;s pixels are made (on a worker): the page and the longest side; UserError if unreadable page number (from 1) to open in the viewer page number, quarter turns clockwise page number, where it goes (page number) page number to scan again (the new sheet takes its place) page number to scan new sheets in front of</extracomment>
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
        <source>重新扫描此页(&amp;S)</source>
        <translation>&amp;Scan this page again</translation>
    </message>
    <message>
        <source>在此页前插入扫描(&amp;I)</source>
        <translation>&amp;Insert a scan before this page</translation>
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
        <extracomment>the longest side the viewer decodes a page to (a 300 dpi A4 page is 3508 px) how a page&apos;s pixels are made (on a worker): page number (from 1), the page, the longest side</extracomment>
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
    <name>PaperCheckDialog</name>
    <message>
        <source>核查结果(&amp;R)：</source>
        <translation>&amp;Result of the check:</translation>
    </message>
    <message>
        <source>核查情况（不属实时必填）(&amp;T)：</source>
        <translation>What the check found (required when untrue) (&amp;T):</translation>
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
    <name>ReplyDialog</name>
    <message>
        <source>督办回复</source>
        <translation>Answer to supervision</translation>
    </message>
    <message>
        <source>督办内容：{text}</source>
        <translation>Notice: {text}</translation>
    </message>
    <message>
        <source>说明超期原因和办理安排</source>
        <translation>Why the case is late and what will be done</translation>
    </message>
    <message>
        <source>提交回复</source>
        <translation>Send answer</translation>
    </message>
</context>
<context>
    <name>ReviewOpinionDialog</name>
    <message>
        <source>意见结论：</source>
        <extracomment>the Alt key of each conclusion&apos;s button</extracomment>
        <translation>Conclusion:</translation>
    </message>
    <message>
        <source>存为常用意见(&amp;K)</source>
        <translation>&amp;Keep as a common opinion</translation>
    </message>
    <message>
        <source>常用意见(&amp;C)：</source>
        <translation>&amp;Common opinions:</translation>
    </message>
    <message>
        <source>意见内容(&amp;T)：</source>
        <translation>Opinion (&amp;T):</translation>
    </message>
    <message>
        <source>退回需补正的材料（勾选材料，写明补正内容）：</source>
        <translation>Materials to correct (tick each and say what to correct):</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>需补正的内容</source>
        <translation>What to correct</translation>
    </message>
    <message>
        <source>不加盖印章：{why}</source>
        <translation>Not sealed: {why}</translation>
    </message>
    <message>
        <source>意见将加盖本单位电子印章，写入上报审查表</source>
        <translation>The opinion will carry this unit&apos;s e-seal on the review sheet</translation>
    </message>
    <message>
        <source>（选择常用意见填入）</source>
        <translation>(choose a common opinion to fill in)</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>并排审查 — {case_no}</source>
        <extracomment>the size the view opens at, made smaller where the screen is (a 1366×768 counter PC) how much of the width the pages take at first an opinion was given: the case ids it changed</extracomment>
        <translation>Review side by side — {case_no}</translation>
    </message>
    <message>
        <source>受理编号：</source>
        <extracomment>the opinion given here (None before), as the desk answered</extracomment>
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
        <source>报送单位：</source>
        <translation>Sent by:</translation>
    </message>
    <message>
        <source>收件时间：</source>
        <translation>Received:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>办结时限：</source>
        <translation>Due:</translation>
    </message>
    <message>
        <source>材料：</source>
        <translation>Materials:</translation>
    </message>
    <message>
        <source>下级单位意见</source>
        <translation>Opinions of the units below</translation>
    </message>
    <message>
        <source>{unit}&#x3000;{result}&#x3000;{when}</source>
        <extracomment>(unit, conclusion, words) of each opinion shown, oldest first</extracomment>
        <translation>{unit}   {result}   {when}</translation>
    </message>
    <message>
        <source>下级单位上报时未填写意见</source>
        <translation>The unit below gave no opinion when forwarding</translation>
    </message>
    <message>
        <source>意见已出具（{status}），已盖章：本单位电子印章已加盖在上报审查表上</source>
        <translation>Opinion given ({status}), sealed: this unit&apos;s e-seal is on the review sheet</translation>
    </message>
    <message>
        <source>意见已出具（{status}），未盖章：{why}</source>
        <translation>Opinion given ({status}), not sealed: {why}</translation>
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
        <extracomment>Screens whose reported physical dpi is outside this range are taken at their logical dpi (some monitors report no size, or a nonsensical one). a stroke began, grew or the canvas was cleared</extracomment>
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
    <name>SuperviseDialog</name>
    <message>
        <source>挂号督办 — {case_no}</source>
        <translation>Supervision notice — {case_no}</translation>
    </message>
    <message>
        <source>督办事由和要求，如：该件已超期，请说明原因并加快办理</source>
        <translation>What is asked, e.g. “This case is overdue: explain why and speed it up”</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>被督办单位</source>
        <translation>Unit supervised</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>{days} 个工作日</source>
        <translation>{days} working days</translation>
    </message>
    <message>
        <source>督办内容</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>回复期限</source>
        <translation>Answer due</translation>
    </message>
    <message>
        <source>发出督办</source>
        <translation>Send notice</translation>
    </message>
</context>
<context>
    <name>SupervisionBanner</name>
    <message>
        <source>，已逾期</source>
        <extracomment>An answer was recorded (queued for sync).</extracomment>
        <translation>, now late</translation>
    </message>
    <message>
        <source>挂号督办（{unit}）：{text}&#x3000;请于 {due} 前回复{late}</source>
        <translation>Supervision notice ({unit}): {text}  Answer by {due}{late}</translation>
    </message>
    <message>
        <source>督办回复…</source>
        <translation>Answer…</translation>
    </message>
    <message>
        <source>回复督办单位</source>
        <translation>Answer the supervising unit</translation>
    </message>
    <message>
        <source>只读</source>
        <translation>Read only</translation>
    </message>
    <message>
        <source>该督办通知发给{unit}，由其回复</source>
        <translation>This notice was sent to {unit}, who answers it</translation>
    </message>
    <message>
        <source>已回复，同步后督办单位即可看到</source>
        <translation>Answered; the supervising unit sees it after the next sync</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>刷新</source>
        <extracomment>The lists were (re)loaded. A notice was sent (its id), or refused (the reason is in :attr:`message`). the dialog of the last 挂号督办 (for the tests)</extracomment>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>挂号督办…</source>
        <translation>Supervision notice…</translation>
    </message>
    <message>
        <source>对选中的超期办件发出督办通知，被督办单位须在期限内回复</source>
        <translation>Send a supervision notice on the chosen overdue case; the unit handling it must answer in time</translation>
    </message>
    <message>
        <source>办理单位</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>承诺办结日期</source>
        <translation>Promised by</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Case No.</translation>
    </message>
    <message>
        <source>超期（工作日）</source>
        <translation>Overdue (working days)</translation>
    </message>
    <message>
        <source>督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <source>剩余（工作日）</source>
        <translation>Left (working days)</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
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
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <source>回访期限</source>
        <translation>Follow-up due</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>被督办单位</source>
        <translation>Unit supervised</translation>
    </message>
    <message>
        <source>回复期限</source>
        <translation>Answer due</translation>
    </message>
    <message>
        <source>督办内容</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>回复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>红灯（超期）</source>
        <translation>Red (overdue)</translation>
    </message>
    <message>
        <source>黄灯（临近）</source>
        <translation>Yellow (due soon)</translation>
    </message>
    <message>
        <source>超期统计</source>
        <translation>Overdue counts</translation>
    </message>
    <message>
        <source>差评回访</source>
        <translation>Complaint follow-ups</translation>
    </message>
    <message>
        <source>挂号督办</source>
        <translation>Supervision notices</translation>
    </message>
    <message>
        <source>正在读取名单…</source>
        <translation>Reading the lists…</translation>
    </message>
    <message>
        <source>{day} · 范围：{units}</source>
        <translation>{day} · Units: {units}</translation>
    </message>
    <message>
        <source>名单过长，仅显示前 {n} 件</source>
        <translation>The lists are long: only the first {n} cases are shown</translation>
    </message>
    <message>
        <source>红灯（超期） {n}</source>
        <translation>Red (overdue) {n}</translation>
    </message>
    <message>
        <source>黄灯（临近） {n}</source>
        <translation>Yellow (due soon) {n}</translation>
    </message>
    <message>
        <source>挂号督办 {n}</source>
        <translation>Supervision notices {n}</translation>
    </message>
    <message>
        <source>（{late} 件逾期未回复）</source>
        <translation> ({late} unanswered past their day)</translation>
    </message>
    <message>
        <source>已督办</source>
        <translation>Notice sent</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>逾期 {n} 个工作日</source>
        <translation>{n} working days late</translation>
    </message>
    <message>
        <source>剩余 {n} 个工作日</source>
        <translation>{n} working days left</translation>
    </message>
    <message>
        <source>已回复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>逾期未回复</source>
        <translation>Late, unanswered</translation>
    </message>
    <message>
        <source>待回复</source>
        <translation>Awaiting answer</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>挂号督办须连接市级平台</source>
        <translation>Sending a supervision notice needs the link to the city platform</translation>
    </message>
    <message>
        <source>督办通知已发出，被督办单位同步后即可看到</source>
        <translation>The notice was sent; the unit supervised sees it after its next sync</translation>
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
    <name>errors</name>
    <message>
        <source>PDF 文件已损坏或不完整，无法校验签章（{reason}）</source>
        <translation>The PDF file is damaged or incomplete; its seals cannot be checked ({reason})</translation>
    </message>
    <message>
        <source>{detail}
（如确认无误，可加 --accept-warnings 理由 后重新提交）</source>
        <translation>{detail}
(If this is correct, add --accept-warnings REASON and submit again.)</translation>
    </message>
    <message>
        <source>{detail}
（如确认无误，可加 --accept-warnings 理由 后重新收件）</source>
        <translation>{detail}
(If this is correct, add --accept-warnings REASON and receive again.)</translation>
    </message>
    <message>
        <source>{device}仍未响应上一次操作，请检查连接或重新插拔后再试</source>
        <translation>{device} has not yet answered the last operation. Check the connection or unplug and reconnect it, then try again.</translation>
    </message>
    <message>
        <source>{device}在{limit:g}秒内没有响应，请检查连接和电源后重试</source>
        <translation>{device} did not answer within {limit:g} seconds. Check the cable and power, then try again.</translation>
    </message>
    <message>
        <source>{info}不支持“{source_labels}”扫描（可用：{have}），请在设置中改选扫描来源</source>
        <translation>{info} cannot scan from “{source_labels}” (available: {have}). Choose another scan source in the settings.</translation>
    </message>
    <message>
        <source>{info}的进纸器中没有纸，请放入材料后重试</source>
        <translation>The feeder of {info} is empty. Load the documents and try again.</translation>
    </message>
    <message>
        <source>{kind}无需签名</source>
        <translation>The {kind} does not need a signature.</translation>
    </message>
    <message>
        <source>{kind}暂不支持测试</source>
        <translation>Testing a {kind} is not supported yet.</translation>
    </message>
    <message>
        <source>{label}在{timeout:g}秒内没有响应，请检查连接和电源后重试</source>
        <translation>The {label} did not answer within {timeout:g} seconds. Check the cable and power, then try again.</translation>
    </message>
    <message>
        <source>{label}应写成“1969-08-06”或机读码中的6位数字“690806”</source>
        <translation>Write the {label} as “1969-08-06” or as the 6 digits of the MRZ, “690806”.</translation>
    </message>
    <message>
        <source>{label}没有响应，请检查连接和电源后重试</source>
        <translation>The {label} does not answer. Check the cable and power, then try again.</translation>
    </message>
    <message>
        <source>{library_path} 不是身份证阅读器的驱动库（缺少 {missing}），请在设置中更正 devices.id_reader</source>
        <translation>{library_path} is not an ID card reader driver library ({missing} is missing). Correct devices.id_reader in the settings.</translation>
    </message>
    <message>
        <source>{name}的{problem}</source>
        <translation>{name}: {problem}</translation>
    </message>
    <message>
        <source>{noun}{where}无法写入：磁盘是只读的，或本账户没有写入权限，本次操作没有保存。请检查U盘或移动硬盘的写保护开关，或请管理员开放写入权限后重试。</source>
        <translation>Cannot write to the {noun}{where}: the disk is read-only or this account may not write there. Nothing was saved. Check the write-protect switch of the USB stick or external disk, or ask the administrator for write access, then try again.</translation>
    </message>
    <message>
        <source>{what}应为整数，而不是“{text}”</source>
        <translation>{what} must be a whole number, not “{text}”</translation>
    </message>
    <message>
        <source>{what}格式错误</source>
        <translation>The {what} is not in the expected format</translation>
    </message>
    <message>
        <source>{what}没有可用的页面</source>
        <translation>{what}: there are no usable pages</translation>
    </message>
    <message>
        <source>{what}，请检查纸张是否放反后重新扫描</source>
        <translation>{what}. Check whether the paper was placed upside down, then scan again.</translation>
    </message>
    <message>
        <source>“{data_dir}”不是文件夹</source>
        <translation>“{data_dir}” is not a folder</translation>
    </message>
    <message>
        <source>“{name}”不收费，无需登记缴费</source>
        <translation>“{name}” has no fee; there is no payment to record.</translation>
    </message>
    <message>
        <source>“{name}”不是普通文件，请选择扫描得到的图像文件</source>
        <translation>“{name}” is not a regular file. Choose a scanned image file.</translation>
    </message>
    <message>
        <source>“{name}”是文件夹，不是图像文件，请选择要导入的图像文件</source>
        <translation>“{name}” is a folder, not an image file. Choose the image files to import.</translation>
    </message>
    <message>
        <source>“{out}”不是文件夹</source>
        <translation>“{out}” is not a folder</translation>
    </message>
    <message>
        <source>“{path}”不是吊销列表文件（CRL，PEM 或 DER）</source>
        <translation>“{path}” is not a certificate revocation list (CRL, PEM or DER)</translation>
    </message>
    <message>
        <source>“{path}”不是证书文件（PEM 或 DER）</source>
        <translation>“{path}” is not a certificate file (PEM or DER)</translation>
    </message>
    <message>
        <source>“{text}”应写成 材料名称=需补正的内容</source>
        <translation>Write “{text}” as MATERIAL NAME=WHAT TO CORRECT</translation>
    </message>
    <message>
        <source>一次性告知须列出全部缺少或需补正的材料</source>
        <translation>The one-time notice must list every material that is missing or needs correcting.</translation>
    </message>
    <message>
        <source>上传多次中断且没有进展，请检查网络后重试</source>
        <translation>The upload was interrupted several times without progress. Check the network and try again.</translation>
    </message>
    <message>
        <source>上报审查表在上报时自动生成，不能单独出具</source>
        <translation>The review sheet is made when the case is forwarded; it cannot be issued on its own</translation>
    </message>
    <message>
        <source>上报时的本级意见应为文字</source>
        <translation>The forwarding unit&apos;s opinion must be text</translation>
    </message>
    <message>
        <source>上报的单位</source>
        <translation>unit to forward to</translation>
    </message>
    <message>
        <source>下载的材料校验不符，请稍后重试</source>
        <translation>The downloaded material does not match its checksum. Try again later.</translation>
    </message>
    <message>
        <source>不予受理的理由</source>
        <translation>reason for rejecting</translation>
    </message>
    <message>
        <source>不予许可的理由</source>
        <translation>reason for denying</translation>
    </message>
    <message>
        <source>不认识的修改“{op}”，可用：{ops}</source>
        <translation>Unknown edit “{op}”; available: {ops}</translation>
    </message>
    <message>
        <source>与前面各部分不符，请核对标识是否抄错</source>
        <translation>does not match the other parts; check whether the identifier was copied wrongly</translation>
    </message>
    <message>
        <source>中止计时的原因</source>
        <translation>reason for suspending the clock</translation>
    </message>
    <message>
        <source>事项目录中没有编码为“{code}”的事项，请先同步事项目录或检查编码</source>
        <translation>The catalogue has no item with code “{code}”. Sync the catalogue first or check the code.</translation>
    </message>
    <message>
        <source>事项编码“{code}”不在本单位的事项目录中</source>
        <translation>Item code “{code}” is not in this unit’s catalogue.</translation>
    </message>
    <message>
        <source>事项编码“{code}”应为2位大写字母加8位数字（类型+5位主项+3位子项）</source>
        <translation>Item code “{code}” must be 2 capital letters and 8 digits (type + 5-digit main item + 3-digit sub-item).</translation>
    </message>
    <message>
        <source>事项编码“{code}”的类型字母 {prefix} 无效，应为{type_prefixes}之一</source>
        <translation>The type letters {prefix} of item code “{code}” are not valid; they must be one of {type_prefixes}.</translation>
    </message>
    <message>
        <source>事项编码“{item_code}”不在本单位的事项目录中，请用 catalog list 查看</source>
        <translation>Item code “{item_code}” is not in this unit’s catalogue; see catalog list.</translation>
    </message>
    <message>
        <source>以下页面需要处理，请重新扫描；如确认无误，可注明理由后收件：
{lines}</source>
        <translation>These pages need attention; please scan them again. If they are correct, give a reason and receive anyway:
{lines}</translation>
    </message>
    <message>
        <source>住址</source>
        <translation>address</translation>
    </message>
    <message>
        <source>修改后材料与原来相同，无需补正</source>
        <translation>The materials are unchanged by this edit; there is nothing to amend.</translation>
    </message>
    <message>
        <source>修改的写法应为：{usage}</source>
        <translation>Write the edit as: {usage}</translation>
    </message>
    <message>
        <source>决定结果应为：准予 或 不予</source>
        <translation>The decision must be 准予 (approve) or 不予 (deny).</translation>
    </message>
    <message>
        <source>出件记录中的电子证照信息格式错误</source>
        <translation>The e-licence details in the issue record are malformed</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>date of birth</translation>
    </message>
    <message>
        <source>分机号只能是数字</source>
        <translation>The extension may contain digits only</translation>
    </message>
    <message>
        <source>办件至少应保留一份材料</source>
        <translation>A case must keep at least one material.</translation>
    </message>
    <message>
        <source>单位 CA 证书文件“{path}”中没有可用的证书（应为 PEM 或 DER 格式的 CA 证书）。{ask}</source>
        <translation>The unit CA certificate file “{path}” holds no usable certificate (it must be a CA certificate in PEM or DER format). {ask}</translation>
    </message>
    <message>
        <source>单位代码应为18位统一社会信用代码，或6、9、12位行政区划代码</source>
        <translation>The unit code must be an 18-character unified social credit code, or a 6, 9 or 12-digit administrative division code.</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>organisation name</translation>
    </message>
    <message>
        <source>双面进纸</source>
        <translation>duplex feeder</translation>
    </message>
    <message>
        <source>受理时须给出承诺时限（工作日）</source>
        <translation>Accepting needs the promised time limit (working days).</translation>
    </message>
    <message>
        <source>受理编号 {text} 中的日期无效</source>
        <translation>The date in case number {text} is not valid.</translation>
    </message>
    <message>
        <source>受理编号 {text} 中的窗口号或序号无效</source>
        <translation>The window number or sequence number in case number {text} is not valid.</translation>
    </message>
    <message>
        <source>受理编号应为20位数字（6位行政区划码、8位日期、2位窗口号、4位序号）</source>
        <translation>A case number has 20 digits (6-digit division code, 8-digit date, 2-digit window number, 4-digit sequence number).</translation>
    </message>
    <message>
        <source>口令连续输错 {limit} 次，该账号在本机锁定 {minutes} 分钟</source>
        <translation>Wrong password {limit} times in a row: this account is locked on this PC for {minutes} minutes.</translation>
    </message>
    <message>
        <source>口令连续输错次数过多，该账号在本机已锁定，请于 {until:%H:%M} 后再试</source>
        <translation>Too many wrong passwords: this account is locked on this PC. Try again after {until:%H:%M}.</translation>
    </message>
    <message>
        <source>另一个同步正在进行（本机窗口或命令行），请等它结束后再试</source>
        <translation>Another sync is running (in the window or a command). Wait for it to finish, then try again.</translation>
    </message>
    <message>
        <source>只能上报至上一级单位：{name}（{code}）</source>
        <translation>A case can only be forwarded to the next higher unit: {name} ({code})</translation>
    </message>
    <message>
        <source>吊销列表不是由本机信任的平台签发 CA 签署的，未采用</source>
        <translation>The revocation list was not signed by the platform&apos;s issuing CA this PC trusts; it was not used</translation>
    </message>
    <message>
        <source>同一材料名称出现了多次</source>
        <translation>The same material name appears more than once.</translation>
    </message>
    <message>
        <source>同一材料名称出现了多次，请把同一材料的各页写在一起</source>
        <translation>The same material name appears more than once; list all pages of one material together.</translation>
    </message>
    <message>
        <source>固定电话应为区号加7至8位号码，如 0774-3822345</source>
        <translation>A landline number is an area code and 7 to 8 digits, e.g. 0774-3822345</translation>
    </message>
    <message>
        <source>图像“{name}”{which}只有 {width}×{height} 像素，太小，不是一页扫描件，请重新扫描</source>
        <translation>Image “{name}” {which} is only {width}×{height} pixels: too small to be a scanned page. Scan again.</translation>
    </message>
    <message>
        <source>图像“{name}”{which}尺寸过大，无法处理，请降低扫描分辨率后重试</source>
        <translation>Image “{name}” {which} is too large to process. Lower the scan resolution and try again.</translation>
    </message>
    <message>
        <source>图像“{name}”{which}的颜色格式（{mode}）无法处理，请另存为 JPEG 或 PNG 后重试</source>
        <translation>The colour format ({mode}) of image “{name}” {which} cannot be processed. Save it as JPEG or PNG and try again.</translation>
    </message>
    <message>
        <source>图像文件“{name}”{which}已损坏或不完整，无法读取，请重新扫描或重新复制该文件</source>
        <translation>Image file “{name}” {which} is damaged or incomplete and cannot be read. Scan it again or copy the file again.</translation>
    </message>
    <message>
        <source>图像文件“{name}”太大（超过 1 GB），请降低扫描分辨率或分成几个文件</source>
        <translation>Image file “{name}” is too large (over 1 GB). Lower the scan resolution or split it into several files.</translation>
    </message>
    <message>
        <source>图像文件“{name}”是空文件（0 字节），请重新扫描</source>
        <translation>Image file “{name}” is empty (0 bytes). Scan again.</translation>
    </message>
    <message>
        <source>图像文件“{name}”的页面总像素过多，请降低扫描分辨率或分成几个文件</source>
        <translation>The pages of image file “{name}” have too many pixels in total. Lower the scan resolution or split it into several files.</translation>
    </message>
    <message>
        <source>图像文件“{name}”页数过多（超过 {max_frames} 页），请分成几个文件</source>
        <translation>Image file “{name}” has too many pages (over {max_frames}). Split it into several files.</translation>
    </message>
    <message>
        <source>外国人永久居留身份证</source>
        <translation>foreign permanent resident ID card</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>name</translation>
    </message>
    <message>
        <source>导出位置“{out}”不是文件夹</source>
        <translation>The export location “{out}” is not a folder</translation>
    </message>
    <message>
        <source>尚未从平台取得本单位及上级单位的信息，请先同步后再上报</source>
        <translation>This unit and its parent unit are not known from the platform yet: sync first, then forward</translation>
    </message>
    <message>
        <source>尚未取得市级平台的根证书，下次同步时再处理该证书</source>
        <translation>This PC does not have the city platform&apos;s root certificate yet; the certificate will be handled at the next sync</translation>
    </message>
    <message>
        <source>尚未登录市级平台，请先登录</source>
        <translation>Not signed in to the city platform. Please sign in first.</translation>
    </message>
    <message>
        <source>尚未设置市级平台地址，请先用 init --platform 设置</source>
        <translation>No city platform address is set. Set it first with init --platform.</translation>
    </message>
    <message>
        <source>尚未选择签名板，请在「设备」页选择，或在屏幕上签名</source>
        <translation>No signature pad is chosen. Choose one on the Devices page, or sign on the screen.</translation>
    </message>
    <message>
        <source>尚未选择身份证阅读器，请在设置中填写 devices.id_reader</source>
        <translation>No ID card reader is chosen. Set devices.id_reader in the settings.</translation>
    </message>
    <message>
        <source>工作日数不能为负数</source>
        <translation>The number of working days cannot be negative.</translation>
    </message>
    <message>
        <source>差评原因“{unknown}”不在可选原因中，请从列表中选择</source>
        <translation>The reason “{unknown}” is not one of the choices. Choose from the list.</translation>
    </message>
    <message>
        <source>差评原因应为从列表中选择的一项或多项</source>
        <translation>The reasons for a poor rating must be one or more items chosen from the list.</translation>
    </message>
    <message>
        <source>差评原因重复</source>
        <translation>A reason for the poor rating is given twice.</translation>
    </message>
    <message>
        <source>市级平台的时间戳服务暂时无法使用（{detail}），印章将先不带时间戳，联网同步时补加</source>
        <translation>The city platform&apos;s time-stamping service is unavailable ({detail}); the seal is applied without a timestamp for now, and one is added at the next sync</translation>
    </message>
    <message>
        <source>市级平台返回了无法识别的数据，已停止本次同步；办件仍保存在本机，请稍后重试或联系系统管理员</source>
        <translation>The city platform answered with data that cannot be understood, so this sync stopped. The cases are still saved on this PC. Try again later or contact the system administrator.</translation>
    </message>
    <message>
        <source>平台上该证照已注销或已过有效期，不能用于免证，请扫描材料</source>
        <translation>On the platform this licence has been revoked or has expired and cannot stand for the material; please scan the material</translation>
    </message>
    <message>
        <source>平台发来的内容格式不符</source>
        <translation>What the platform sent is not in the expected format.</translation>
    </message>
    <message>
        <source>平台发来的办件操作格式不符</source>
        <translation>A case action sent by the platform is not in the expected format.</translation>
    </message>
    <message>
        <source>平台发来的办件没有材料</source>
        <translation>A case sent by the platform has no materials.</translation>
    </message>
    <message>
        <source>平台发来的吊销列表格式不符</source>
        <translation>The revocation list sent by the platform is not in the expected format</translation>
    </message>
    <message>
        <source>平台发来的材料清单格式不符</source>
        <translation>A material list sent by the platform is not in the expected format.</translation>
    </message>
    <message>
        <source>平台发来的证书格式不符</source>
        <translation>The certificate sent by the platform is not in the expected format</translation>
    </message>
    <message>
        <source>平台发来的证书链格式不符</source>
        <translation>The certificate chain sent by the platform is not in the expected format</translation>
    </message>
    <message>
        <source>平台发来的证照文件与证照库登记的不符，请扫描材料</source>
        <translation>The licence file the platform sent does not match the one registered in the licence library; please scan the material</translation>
    </message>
    <message>
        <source>平台地址“{url}”无效，应形如 https://平台域名。请联系技术人员核对平台地址。</source>
        <translation>The platform address “{url}” is not valid; it should look like https://platform-domain. Ask technical support to check the platform address.</translation>
    </message>
    <message>
        <source>平台地址必须使用 https://（仅本机测试可用 http://），而现在是“{url}”：办件和个人信息不能在网络上明文传输。请联系技术人员核对平台地址。</source>
        <translation>The platform address must use https:// (http:// only for tests on this PC), but it is “{url}”: cases and personal data must not travel the network unencrypted. Ask technical support to check the platform address.</translation>
    </message>
    <message>
        <source>平台多次拒收该材料的上传，本次同步先跳过此办件，下次同步时再试；材料仍保存在本机</source>
        <translation>The platform refused the upload of this material several times. This sync skips the case and the next one tries again; the material is still saved on this PC.</translation>
    </message>
    <message>
        <source>平台繁忙，将于 {retry_at:%H:%M} 自动重试；办件已保存在本机</source>
        <translation>The platform is busy; it will be tried again automatically at {retry_at:%H:%M}. The cases are saved on this PC.</translation>
    </message>
    <message>
        <source>平台返回的上传进度异常，本次同步先跳过此办件；材料仍保存在本机</source>
        <translation>The platform reported an unexpected upload position. This sync skips the case; the material is still saved on this PC.</translation>
    </message>
    <message>
        <source>平板</source>
        <translation>flatbed</translation>
    </message>
    <message>
        <source>应为18位统一社会信用代码加3位顺序号</source>
        <translation>should be an 18-character unified social credit code followed by a 3-digit sequence number</translation>
    </message>
    <message>
        <source>应为1至64位数字或大写字母</source>
        <translation>should be 1 to 64 digits or capital letters</translation>
    </message>
    <message>
        <source>应为3位数字（001起）</source>
        <translation>should be 3 digits (from 001)</translation>
    </message>
    <message>
        <source>应以 1.2.156.3005.2 开头</source>
        <translation>should start with 1.2.156.3005.2</translation>
    </message>
    <message>
        <source>总校验位</source>
        <translation>overall check digit</translation>
    </message>
    <message>
        <source>您的岗位（{role}）不能{permission}{ask}</source>
        <translation>Your post ({role}) may not {permission}{ask}</translation>
    </message>
    <message>
        <source>您的岗位（{role}）不能办理“{action}”{ask}</source>
        <translation>Your post ({role}) may not do “{action}”{ask}</translation>
    </message>
    <message>
        <source>您的岗位（{role}）不能在办件“{state}”时办理“{action}”{ask}</source>
        <translation>Your post ({role}) may not do “{action}” while the case is “{state}”{ask}</translation>
    </message>
    <message>
        <source>您的岗位（{role}）不能申请单位电子印章证书，请由审批人员或单位指定的印章保管人申请</source>
        <translation>Your role ({role}) cannot request the unit&apos;s e-seal certificate; ask an approver or the seal holder the unit named</translation>
    </message>
    <message>
        <source>您的账号没有登记岗位，不能{permission}；请联系单位管理员</source>
        <translation>Your account has no post registered, so you may not {permission}. Contact the unit administrator.</translation>
    </message>
    <message>
        <source>您的账号没有登记岗位，不能办理“{action}”{ask}；请联系单位管理员</source>
        <translation>Your account has no post registered, so you may not do “{action}”{ask}. Contact the unit administrator.</translation>
    </message>
    <message>
        <source>您（{role}岗）尚未被单位管理员指定为印章保管人，不能申请单位电子印章证书</source>
        <translation>You ({role}) have not been named a seal holder by the unit&apos;s administrator, so you cannot request the unit&apos;s e-seal certificate</translation>
    </message>
    <message>
        <source>意见内容</source>
        <translation>opinion text</translation>
    </message>
    <message>
        <source>意见结论应为：{opinion_results}</source>
        <translation>The opinion must be one of: {opinion_results}</translation>
    </message>
    <message>
        <source>手机号码应为11位，现为{length}位</source>
        <translation>A mobile number has 11 digits; this one has {length}</translation>
    </message>
    <message>
        <source>手机号码第2位应为3至9</source>
        <translation>The second digit of a mobile number must be 3 to 9</translation>
    </message>
    <message>
        <source>打印机无法开始打印，请检查打印机是否连接、是否缺纸</source>
        <translation>The printer cannot start printing. Check that it is connected and has paper.</translation>
    </message>
    <message>
        <source>打印机无法换页，请检查打印机</source>
        <translation>The printer cannot start a new page. Check the printer.</translation>
    </message>
    <message>
        <source>扫描仪</source>
        <translation>scanner</translation>
    </message>
    <message>
        <source>扫描仪一次进了两张纸，请取出后把未扫描的材料放回重新扫描</source>
        <translation>The scanner took two sheets at once. Take them out, put the unscanned documents back and scan again.</translation>
    </message>
    <message>
        <source>扫描仪卡纸，请打开进纸器取出卡住的纸张，再把未扫描的材料放回重新扫描</source>
        <translation>Paper jam. Open the feeder, remove the stuck paper, put the unscanned documents back and scan again.</translation>
    </message>
    <message>
        <source>扫描仪在{timeout:g}秒内没有送来下一页，请检查扫描仪后重试</source>
        <translation>The scanner sent no next page within {timeout:g} seconds. Check the scanner and try again.</translation>
    </message>
    <message>
        <source>扫描仪未连接或未开机，请检查连接和电源后重试</source>
        <translation>The scanner is not connected or not switched on. Check the cable and power, then try again.</translation>
    </message>
    <message>
        <source>扫描仪没有送回图像，请重试</source>
        <translation>The scanner returned no image. Try again.</translation>
    </message>
    <message>
        <source>扫描仪没有送来页面，请放入一张纸后重试</source>
        <translation>The scanner sent no page. Load a sheet and try again.</translation>
    </message>
    <message>
        <source>扫描出错，请重试；如仍出错请重启扫描仪</source>
        <translation>Scanning failed. Try again; if it fails again, restart the scanner.</translation>
    </message>
    <message>
        <source>扫描分辨率 {dpi} dpi 无效，应在 50–1200 之间</source>
        <translation>A scan resolution of {dpi} dpi is not valid; it must be between 50 and 1200.</translation>
    </message>
    <message>
        <source>扫描来源“{source}”无效，应为 flatbed、adf 或 duplex</source>
        <translation>Scan source “{source}” is not valid; it must be flatbed, adf or duplex.</translation>
    </message>
    <message>
        <source>扫描色彩“{mode}”无效，应为 color、gray 或 lineart</source>
        <translation>Scan colour “{mode}” is not valid; it must be color, gray or lineart.</translation>
    </message>
    <message>
        <source>找不到{noun}{where}，本次操作没有保存。如果它在U盘、移动硬盘或网络盘上，请连接好后重试。</source>
        <translation>The {noun}{where} cannot be found; nothing was saved. If it is on a USB stick, external disk or network drive, connect it and try again.</translation>
    </message>
    <message>
        <source>找不到办件“{case_ref}”，请核对受理编号</source>
        <translation>No case “{case_ref}”. Check the case number.</translation>
    </message>
    <message>
        <source>找不到办件“{ref}”，请核对受理编号</source>
        <translation>No case “{ref}”. Check the case number.</translation>
    </message>
    <message>
        <source>找不到单位 CA 证书文件“{path}”。{ask}</source>
        <translation>The unit CA certificate file “{path}” cannot be found. {ask}</translation>
    </message>
    <message>
        <source>找不到图像文件“{name}”，请检查文件是否已被移动或删除</source>
        <translation>Image file “{name}” cannot be found. Check whether it was moved or deleted.</translation>
    </message>
    <message>
        <source>找不到数据目录 {data_dir}。如果数据存放在U盘、移动硬盘或网络盘上，请连接好后重试；如果本机是第一次使用，请先运行 init --org 本单位代码</source>
        <translation>The data folder {data_dir} cannot be found. If the data is on a USB stick, external disk or network drive, connect it and try again; if this PC is used for the first time, run init --org UNIT_CODE first.</translation>
    </message>
    <message>
        <source>找不到文件“{path}”</source>
        <translation>File “{path}” not found</translation>
    </message>
    <message>
        <source>找不到申请人文件“{path}”</source>
        <translation>Applicant file “{path}” not found</translation>
    </message>
    <message>
        <source>找不到该通知书</source>
        <translation>That notice cannot be found</translation>
    </message>
    <message>
        <source>护照号码应为5至20位字母或数字，请核对</source>
        <translation>A passport number has 5 to 20 letters or digits; please check it</translation>
    </message>
    <message>
        <source>损坏的文件中读不出本单位代码。请加上 --org 本单位代码（以及 --platform 市级平台地址）重新运行修复</source>
        <translation>The unit code cannot be read from the damaged file. Run the repair again with --org UNIT_CODE (and --platform CITY_PLATFORM_ADDRESS).</translation>
    </message>
    <message>
        <source>收费依据应为不超过{max_basis}字的一段文字</source>
        <translation>The fee basis must be a text of at most {max_basis} characters.</translation>
    </message>
    <message>
        <source>数据目录</source>
        <translation>data folder</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 中没有数据库文件，无法修复</source>
        <translation>The data folder {data_dir} has no database file; there is nothing to repair.</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 中的密钥文件 keys.json 已损坏，无法打开本机数据。请联系技术支持。</source>
        <translation>The key file keys.json in the data folder {data_dir} is damaged, so the data on this PC cannot be opened. Contact technical support.</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 中的数据尚未加密，请先登录一次完成加密</source>
        <translation>The data in the data folder {data_dir} is not encrypted yet. Sign in once first to encrypt it.</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 中的数据库文件不见了（材料文件还在）。请不要重新初始化，请技术支持找回数据库文件后重试。</source>
        <translation>The database file in the data folder {data_dir} is gone (the material files are still there). Do not initialise again: ask technical support to recover the database file, then try again.</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 尚未初始化，请先运行 init --org 本单位代码</source>
        <translation>The data folder {data_dir} is not initialised. Run init --org UNIT_CODE first.</translation>
    </message>
    <message>
        <source>数据目录 {data_dir} 已在使用中，请登录后用 config set 修改平台地址</source>
        <translation>The data folder {data_dir} is already in use. Sign in and change the platform address with config set.</translation>
    </message>
    <message>
        <source>数据目录正被其他程序使用，请关闭窗口程序和其他命令后再登录</source>
        <translation>The data folder is in use by another program. Close the window program and other commands, then sign in.</translation>
    </message>
    <message>
        <source>数据目录正被窗口程序或其他命令使用。请先关闭它们，再运行修复。</source>
        <translation>The data folder is in use by the window program or another command. Close them first, then run the repair.</translation>
    </message>
    <message>
        <source>数据目录正被窗口程序或其他命令使用，本机数据需要先完成加密或更换密钥：请关闭它们后再登录。</source>
        <translation>The data folder is in use by the window program or another command, and the data on this PC must first be encrypted or re-keyed: close them, then sign in.</translation>
    </message>
    <message>
        <source>文件“{path}”过大，不是证书或吊销列表</source>
        <translation>File “{path}” is too large to be a certificate or a revocation list</translation>
    </message>
    <message>
        <source>文件过大（{size} MB），无法校验签章</source>
        <translation>The file is too large ({size} MB); its seals cannot be checked</translation>
    </message>
    <message>
        <source>新增材料“{material}”的各页都是空白页</source>
        <translation>Every page of the new material “{material}” is blank</translation>
    </message>
    <message>
        <source>旋转角度应为 90、180 或 270 度（逆时针用负数）</source>
        <translation>The rotation must be 90, 180 or 270 degrees (negative for anticlockwise).</translation>
    </message>
    <message>
        <source>无法下载材料：{reason}</source>
        <translation>Cannot download the material: {reason}</translation>
    </message>
    <message>
        <source>无法写入“{target}”：{reason}</source>
        <translation>Cannot write “{target}”: {reason}</translation>
    </message>
    <message>
        <source>无法识别“{name}”的图像格式，请使用 JPEG、PNG、TIFF、BMP 或 WebP 图像</source>
        <translation>The image format of “{name}” is not recognised. Use JPEG, PNG, TIFF, BMP or WebP images.</translation>
    </message>
    <message>
        <source>无法读取“{path}”：{reason}</source>
        <translation>Cannot read “{path}”: {reason}</translation>
    </message>
    <message>
        <source>无法读取单位 CA 证书文件“{path}”（{reason}）。{ask}</source>
        <translation>The unit CA certificate file “{path}” cannot be read ({reason}). {ask}</translation>
    </message>
    <message>
        <source>无法读取图像文件“{name}”，请把文件复制到本机后重试</source>
        <translation>Image file “{name}” cannot be read. Copy the file to this PC and try again.</translation>
    </message>
    <message>
        <source>无法读取签名样本文件「{name}」，请检查设置</source>
        <translation>The signature sample file “{name}” cannot be read. Check the settings.</translation>
    </message>
    <message>
        <source>无法连接市级平台（{detail}）。办件已保存在本机，联网后会自动上传，无需重新录入。</source>
        <translation>Cannot reach the city platform ({detail}). The cases are saved on this PC and will be uploaded automatically once online; there is no need to enter them again.</translation>
    </message>
    <message>
        <source>无法连接市级平台，本机也没有该申请人的证照查询记录，请扫描材料</source>
        <translation>The city platform cannot be reached and this PC has no earlier licence look-up for this applicant; please scan the material</translation>
    </message>
    <message>
        <source>无法验证平台的安全证书，已停止同步。办件仍保存在本机，不会丢失。请联系技术人员核对平台地址和本机的单位 CA 证书设置（{where}）。</source>
        <translation>The platform’s security certificate could not be verified, so the sync stopped. The cases are still saved on this PC and will not be lost. Ask technical support to check the platform address and this PC’s unit CA certificate setting ({where}).</translation>
    </message>
    <message>
        <source>暂不支持证件类型“{id_type}”，请使用居民身份证（resident_id）或护照（passport）</source>
        <translation>ID type “{id_type}” is not supported yet; use a resident ID card (resident_id) or passport (passport).</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>expiry date</translation>
    </message>
    <message>
        <source>未找到所选签名板，请检查连接，或在「设备」中重新选择</source>
        <translation>The chosen signature pad was not found. Check the connection, or choose it again under Devices.</translation>
    </message>
    <message>
        <source>未找到打印机“{name}”，请在设置中检查打印机名称（print.printer），或留空使用系统默认打印机</source>
        <translation>Printer “{name}” not found. Check the printer name in the settings (print.printer), or leave it empty to use the system’s default printer.</translation>
    </message>
    <message>
        <source>未找到扫描仪“{chosen}”，请在「设备」页重新选择</source>
        <translation>Scanner “{chosen}” not found. Choose it again on the Devices page.</translation>
    </message>
    <message>
        <source>未找到扫描仪“{device}”，请检查连接后点击重试</source>
        <translation>Scanner “{device}” not found. Check the connection and click Retry.</translation>
    </message>
    <message>
        <source>未找到扫描仪“{product}”，请检查连接后点击重试</source>
        <translation>Scanner “{product}” not found. Check the connection and click Retry.</translation>
    </message>
    <message>
        <source>未找到身份证阅读器的驱动库（{library_path}），请安装阅读器厂商的驱动，或在设置中更正 devices.id_reader</source>
        <translation>The ID card reader driver library ({library_path}) was not found. Install the reader maker’s driver, or correct devices.id_reader in the settings.</translation>
    </message>
    <message>
        <source>未检测到扫描仪，请检查连接后点击重试</source>
        <translation>No scanner detected. Check the connection and click Retry.</translation>
    </message>
    <message>
        <source>未检测到读卡器，请检查读卡器的连接</source>
        <translation>No card reader detected. Check the card reader’s connection.</translation>
    </message>
    <message>
        <source>未检测到身份证阅读器（串口 {port}），请检查连接</source>
        <translation>No ID card reader detected (serial port {port}). Check the connection.</translation>
    </message>
    <message>
        <source>未检测到身份证阅读器（端口 {port}），请检查连接</source>
        <translation>No ID card reader detected (port {port}). Check the connection.</translation>
    </message>
    <message>
        <source>未检测到高拍仪，请检查连接后点击重试</source>
        <translation>No document camera detected. Check the connection and click Retry.</translation>
    </message>
    <message>
        <source>本办件没有名为“{material}”的材料；现有材料：{current}</source>
        <translation>This case has no material named “{material}”; its materials are: {current}</translation>
    </message>
    <message>
        <source>本单位已是最高一级，不能再上报</source>
        <translation>This unit is the highest level; there is nowhere to forward to.</translation>
    </message>
    <message>
        <source>本单位按四级评价（非常满意、满意、基本满意、不满意），没有“非常不满意”</source>
        <translation>This unit rates on four levels (very satisfied, satisfied, fairly satisfied, dissatisfied); there is no “very dissatisfied”.</translation>
    </message>
    <message>
        <source>本地数据库文件已损坏{where}，请停止录入，并请技术支持运行修复命令：{command}。修复时损坏的文件会另行保存、不会删除；已同步到市级平台的办件下次同步时自动取回，未同步的办件会尽量从损坏的文件中找回，找不回的会逐件列出。</source>
        <translation>The local database file is damaged{where}. Stop entering cases and ask technical support to run the repair command: {command}. The repair keeps the damaged file and deletes nothing; cases already synced to the city platform come back at the next sync, unsynced ones are recovered from the damaged file as far as possible, and any that cannot be are listed one by one.</translation>
    </message>
    <message>
        <source>本地数据库正被其他程序占用，本次操作没有保存。请关闭同时使用本数据目录的其他程序（另一个窗口程序、命令行或备份软件）后重试。</source>
        <translation>The local database is held by another program; nothing was saved. Close the other programs using this data folder (another window program, a command or backup software), then try again.</translation>
    </message>
    <message>
        <source>本机数据尚未加密，请登录后再试</source>
        <translation>The data on this PC is not encrypted yet. Sign in, then try again.</translation>
    </message>
    <message>
        <source>本机数据无法为该账号打开：本机没有可用的系统密钥环，平台也未提供本机的密钥。请由已在本机登录过的同事登录，或联系技术支持。</source>
        <translation>The data on this PC cannot be opened for this account: this PC has no usable system keyring and the platform did not provide this PC’s key. Ask a colleague who has signed in on this PC before to sign in, or contact technical support.</translation>
    </message>
    <message>
        <source>本机数据需要加密保存，但未设置市级平台地址，无法完成首次联网登录。请联系技术支持。</source>
        <translation>The data on this PC must be stored encrypted, but no city platform address is set, so the first online sign-in cannot be done. Contact technical support.</translation>
    </message>
    <message>
        <source>本机数据需要加密保存：请联网登录一次即可完成（之后可离线登录）。</source>
        <translation>The data on this PC must be stored encrypted: sign in online once to do it (after that, offline sign-in works).</translation>
    </message>
    <message>
        <source>本机材料文件校验不符，平台拒收：{detail}</source>
        <translation>A material file on this PC does not match its checksum and the platform refused it: {detail}</translation>
    </message>
    <message>
        <source>本机没有 SANE 扫描支持，请安装扫描仪驱动</source>
        <translation>This PC has no SANE scanning support. Install the scanner driver.</translation>
    </message>
    <message>
        <source>本机没有可用的打印机，请先安装打印机，或在打印预览中另存为 PDF</source>
        <translation>No printer is available on this PC. Install a printer first, or save as PDF from the print preview.</translation>
    </message>
    <message>
        <source>本机没有可用的系统密钥环（Windows 凭据管理器或 GNOME 密钥环），无法保存登录状态。请联系技术人员开启密钥环；临时办法：设置环境变量 CHUANGKOU_PASSWORD 为本人口令，每次同步时自动登录，口令和令牌都不写入磁盘。</source>
        <translation>This PC has no usable system keyring (Windows Credential Manager or GNOME Keyring), so the sign-in cannot be kept. Ask technical support to enable a keyring; meanwhile, set the environment variable CHUANGKOU_PASSWORD to your password to sign in at every sync, with neither password nor tokens written to disk.</translation>
    </message>
    <message>
        <source>本机的印章证书是国密（SM2）算法，暂不支持用于电子签章。请向市级平台申请 ECDSA 或 RSA 印章证书。</source>
        <translation>This PC&apos;s seal certificate uses the national SM2 algorithm, which cannot be used for e-seals yet. Ask the city platform for an ECDSA or RSA seal certificate.</translation>
    </message>
    <message>
        <source>本机没有该证照的文件，请同步后再试</source>
        <translation>This PC does not hold the licence&apos;s file; sync and try again</translation>
    </message>
    <message>
        <source>  PAdES 级别：{level}</source>
        <translation>  PAdES level: {level}</translation>
    </message>
    <message>
        <source>  完整性：签章范围内的内容已被改动，签章失效</source>
        <translation>  Integrity: the signed content has been changed; the seal is void</translation>
    </message>
    <message>
        <source>  完整性：签章范围内的内容未被改动</source>
        <translation>  Integrity: the signed content is unchanged</translation>
    </message>
    <message>
        <source>  当前证书状态：{state}</source>
        <translation>  Certificate now: {state}</translation>
    </message>
    <message>
        <source>  无法读取该签章：{problem}</source>
        <translation>  This seal cannot be read: {problem}</translation>
    </message>
    <message>
        <source>  时间戳之后文件内容被改动</source>
        <translation>  The file was changed after this timestamp</translation>
    </message>
    <message>
        <source>  时间戳：{when}（其后的文档时间戳证明签章不晚于此时）</source>
        <translation>  Timestamp: {when} (a later document timestamp proves the seal is no later than this)</translation>
    </message>
    <message>
        <source>  时间戳：{when}（签章自带的时间戳证明签章不晚于此时）</source>
        <translation>  Timestamp: {when} (the seal&apos;s own timestamp proves it is no later than this)</translation>
    </message>
    <message>
        <source>  时间戳：无（签章时间仅为签章电脑的时间）</source>
        <translation>  Timestamp: none (the signing time is only the sealing PC&apos;s clock)</translation>
    </message>
    <message>
        <source>  签章人：{signer}</source>
        <translation>  Signer: {signer}</translation>
    </message>
    <message>
        <source>  签章单位：{unit}</source>
        <translation>  Sealing unit: {unit}</translation>
    </message>
    <message>
        <source>  签章单位：{unit}（代码 {code}）</source>
        <translation>  Sealing unit: {unit} (code {code})</translation>
    </message>
    <message>
        <source>  签章后变更：{changes}</source>
        <translation>  Changes after sealing: {changes}</translation>
    </message>
    <message>
        <source>  签章时证书状态：{state}</source>
        <translation>  Certificate when sealed: {state}</translation>
    </message>
    <message>
        <source>  签章时间：{when}（签章电脑的时钟，未经证明）</source>
        <translation>  Signing time: {when} (the sealing PC&apos;s clock, unproven)</translation>
    </message>
    <message>
        <source>  签章时间：未记录</source>
        <translation>  Signing time: not recorded</translation>
    </message>
    <message>
        <source>  证书：不可信（{problem}）</source>
        <translation>  Certificate: not trusted ({problem})</translation>
    </message>
    <message>
        <source>  证书：可信，链接到受信任的根证书</source>
        <translation>  Certificate: trusted, chains to a trusted root</translation>
    </message>
    <message>
        <source>--return 应写作“材料名称=需补正的内容”，而不是“{value}”</source>
        <translation>--return is written “MATERIAL=what to correct”, not “{value}”</translation>
    </message>
    <message>
        <source>CA 密钥泄露</source>
        <translation>CA key compromised</translation>
    </message>
    <message>
        <source>{name}已反馈联审意见，不能重复反馈</source>
        <translation>{name} has already given its joint review opinion; it cannot give another</translation>
    </message>
    <message>
        <source>{name}的反馈期限{due}早于发起联审的日期</source>
        <translation>The due date of {name} ({due}) is before the day the joint review starts</translation>
    </message>
    <message>
        <source>{what}不能超过{max_text}个字，现为{length}个字</source>
        <translation>The {what} may have at most {max_text} characters; it has {length}</translation>
    </message>
    <message>
        <source>{what}含有无法显示的控制字符，请重新填写</source>
        <translation>The {what} contains control characters that cannot be shown. Please write it again.</translation>
    </message>
    <message>
        <source>停止使用</source>
        <translation>ceased operation</translation>
    </message>
    <message>
        <source>全部联审部门均同意</source>
        <translation>every department asked agrees</translation>
    </message>
    <message>
        <source>办件“{ref}”不在本单位及下级单位的超期（红灯）名单中，不能挂号督办</source>
        <translation>Case “{ref}” is not on the overdue (red) list of this unit and its lower units; no supervision notice can be sent</translation>
    </message>
    <message>
        <source>单位信息变更</source>
        <translation>unit details changed</translation>
    </message>
    <message>
        <source>只有准予的告知承诺件需要核查纸质材料</source>
        <translation>Only an approved case on promise needs its paper materials checked</translation>
    </message>
    <message>
        <source>告知承诺件核查纸质材料的期限应至少为 1 个工作日</source>
        <translation>The period for checking the paper materials of a case approved on promise must be at least 1 working day</translation>
    </message>
    <message>
        <source>反馈联审意见的单位</source>
        <translation>the unit giving the joint review opinion</translation>
    </message>
    <message>
        <source>同一部门出现了多次</source>
        <translation>the same department is listed more than once</translation>
    </message>
    <message>
        <source>回复内容</source>
        <translation>answer text</translation>
    </message>
    <message>
        <source>密钥泄露</source>
        <translation>key compromised</translation>
    </message>
    <message>
        <source>已吊销（吊销时间 {at}，原因：{reason}）</source>
        <translation>revoked (at {at}, reason: {reason})</translation>
    </message>
    <message>
        <source>必须参加的部门均同意</source>
        <translation>every required department agrees</translation>
    </message>
    <message>
        <source>平台未接收该督办通知，请稍后重试</source>
        <translation>The platform did not take the supervision notice. Try again later.</translation>
    </message>
    <message>
        <source>效能监察名单和挂号督办仅供效能监察人员使用</source>
        <translation>The supervision lists and notices are for supervisors only</translation>
    </message>
    <message>
        <source>收件渠道应为：{channels}</source>
        <translation>The receiving channel must be one of: {channels}</translation>
    </message>
    <message>
        <source>常用意见不能超过{limit}个字</source>
        <translation>A common opinion can be at most {limit} characters long</translation>
    </message>
    <message>
        <source>意见已出具，但未能加盖印章，请查看日志</source>
        <translation>The opinion was given but could not be sealed; see the log</translation>
    </message>
    <message>
        <source>文档时间戳 {n}（{field}）：{verdict}，时间 {when}，时间戳服务：{unit}</source>
        <translation>Document timestamp {n} ({field}): {verdict}, at {when}, by {unit}</translation>
    </message>
    <message>
        <source>无效</source>
        <translation>invalid</translation>
    </message>
    <message>
        <source>无法写入文件“{path}”：{reason}</source>
        <translation>Cannot write the file “{path}”: {reason}</translation>
    </message>
    <message>
        <source>无法链接到受信任的根证书</source>
        <translation>does not chain to a trusted root</translation>
    </message>
    <message>
        <source>无（签章覆盖整个文件）</source>
        <translation>none (the seal covers the whole file)</translation>
    </message>
    <message>
        <source>暂停使用</source>
        <translation>on hold</translation>
    </message>
    <message>
        <source>月份“{month}”格式不对，请写成“年-月”，如 2026-11</source>
        <translation>The month “{month}” is not valid: write year-month, e.g. 2026-11</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>有，属于不允许的变更，签章后文件内容被改动</source>
        <translation>yes, not allowed: the content was changed after sealing</translation>
    </message>
    <message>
        <source>有，属于允许的变更（其他单位加盖印章、时间戳或长期验证数据）</source>
        <translation>yes, allowed (another unit&apos;s seal, a timestamp or long-term validation data)</translation>
    </message>
    <message>
        <source>未吊销</source>
        <translation>not revoked</translation>
    </message>
    <message>
        <source>未吊销（依据 {as_of} 的吊销列表）</source>
        <translation>not revoked (by the revocation list of {as_of})</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>未知（没有该证书签发机构的吊销列表）</source>
        <translation>unknown (no revocation list of the issuing CA)</translation>
    </message>
    <message>
        <source>未说明</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>本单位不在该办件的联审部门之列，不能反馈联审意见</source>
        <translation>This unit is not one of the departments asked in this case&apos;s joint review; it cannot give a joint review opinion</translation>
    </message>
    <message>
        <source>本机的单位名单中没有{code}，请核对单位代码，或先同步</source>
        <translation>{code} is not in this PC&apos;s list of units: check the unit code, or sync first</translation>
    </message>
    <message>
        <source>未连接市级平台：仅显示本单位的名单，下级单位的名单须连接市级平台后查看</source>
        <translation>Not connected to the city platform: only this unit’s lists are shown; the lower units’ lists need the link</translation>
    </message>
    <message>
        <source>告知承诺核查</source>
        <translation>Paper checks (approved on promise)</translation>
    </message>
    <message>
        <source>待核查</source>
        <translation>To check</translation>
    </message>
    <message>
        <source>本机尚未取得该办件的上报审查表，意见将不加盖印章；请先同步后再出具意见</source>
        <translation>This PC does not have the case&apos;s review sheet yet, so the opinion would not be sealed; sync first, then give the opinion</translation>
    </message>
    <message>
        <source>本机没有本单位有效的电子印章证书，意见将不加盖印章；请审批人员先申请印章证书</source>
        <translation>This PC has no valid e-seal certificate of this unit, so the opinion would not be sealed; ask an approver to request the seal certificate first</translation>
    </message>
    <message>
        <source>本机程序版本较旧，无法处理平台发来的新类型变更，请升级后再同步</source>
        <translation>This program is too old to handle a new kind of change sent by the platform. Upgrade it, then sync again.</translation>
    </message>
    <message>
        <source>本次同步已达到时间或请求次数上限，未完成的部分将在下次同步时继续；办件仍保存在本机</source>
        <translation>This sync reached its time or request limit; what is left continues at the next sync. The cases are still saved on this PC.</translation>
    </message>
    <message>
        <source>机读码中{label}的校验位不符，请逐字核对{label}</source>
        <translation>The check digit of the {label} in the MRZ does not match. Check the {label} character by character.</translation>
    </message>
    <message>
        <source>机读码中的{label}“{text}”不是有效日期</source>
        <translation>The {label} “{text}” in the MRZ is not a valid date</translation>
    </message>
    <message>
        <source>机读码中的{label}应为6位数字（年年月月日日）</source>
        <translation>The {label} in the MRZ must be 6 digits (YYMMDD)</translation>
    </message>
    <message>
        <source>机读码中的性别“{char}”无法识别</source>
        <translation>The sex “{char}” in the MRZ is not recognised</translation>
    </message>
    <message>
        <source>机读码中的日期“{year:02d}{month:02d}{day:02d}”不是有效日期</source>
        <translation>The date “{year:02d}{month:02d}{day:02d}” in the MRZ is not a valid date</translation>
    </message>
    <message>
        <source>机读码只能包含大写字母、数字和“&lt;”</source>
        <translation>The MRZ may contain only capital letters, digits and “&lt;”</translation>
    </message>
    <message>
        <source>机读码应为两行、每行44个字符（护照），或三行、每行30个字符（身份卡），请核对后重新输入</source>
        <translation>The MRZ is two lines of 44 characters (passport) or three lines of 30 characters (ID card). Check it and enter it again.</translation>
    </message>
    <message>
        <source>材料“{material}”第{page}页重新扫描的页面是空白页</source>
        <translation>The rescanned page {page} of material “{material}” is blank</translation>
    </message>
    <message>
        <source>材料“{material}”要插入的页面都是空白页</source>
        <translation>Every page to insert into material “{material}” is blank</translation>
    </message>
    <message>
        <source>材料“{material}”：{problem}</source>
        <translation>Material “{material}”: {problem}</translation>
    </message>
    <message>
        <source>材料“{name}”不能以电子证照代替，请扫描材料</source>
        <translation>Material “{name}” cannot be replaced by an e-licence; scan it</translation>
    </message>
    <message>
        <source>材料“{name}”只有一页，不能删除；如整份材料不需要，请撤下该材料</source>
        <translation>Material “{name}” has only one page, which cannot be deleted; if the whole material is not needed, remove the material.</translation>
    </message>
    <message>
        <source>材料“{name}”已经存在，如需补页请用插入</source>
        <translation>Material “{name}” already exists; to add pages to it, use insert.</translation>
    </message>
    <message>
        <source>材料“{name}”已选用电子证照（免提交），不能同时扫描页面</source>
        <translation>Material “{name}” already uses an e-licence (no submission needed); it cannot have scanned pages too</translation>
    </message>
    <message>
        <source>材料“{name}”没有第{n}页（共{count}页）</source>
        <translation>Material “{name}” has no page {n} ({count} pages)</translation>
    </message>
    <message>
        <source>材料“{name}”的各页都是空白页，请检查纸张是否放反后重新扫描</source>
        <translation>Every page of material “{name}” is blank. Check whether the paper was placed upside down, then scan again.</translation>
    </message>
    <message>
        <source>材料“{name}”的文件已损坏或丢失，无法导出，请联系技术支持</source>
        <translation>The file of material “{name}” is damaged or missing and cannot be exported. Contact technical support.</translation>
    </message>
    <message>
        <source>材料“{name}”第{page}页重新扫描时应只提交一页，实际为{count}页</source>
        <translation>Rescanning page {page} of material “{name}” takes exactly one page, but {count} were given</translation>
    </message>
    <message>
        <source>材料“{name}”选用的电子证照不是该材料所需的证照类型，请重新选用或扫描材料</source>
        <translation>The e-licence chosen for material “{name}” is not of the type this material requires; choose another or scan it</translation>
    </message>
    <message>
        <source>材料“{name}”选用的电子证照文件不在本机，请重新选用该证照或扫描材料</source>
        <translation>The file of the e-licence chosen for material “{name}” is not on this PC; choose the licence again or scan the material</translation>
    </message>
    <message>
        <source>材料“{name}”选用的电子证照文件已损坏，与证照库登记的不符，请重新选用该证照或扫描材料</source>
        <translation>The file of the e-licence chosen for material “{name}” is damaged and no longer matches the licence library; choose the licence again or scan the material</translation>
    </message>
    <message>
        <source>材料“{name}”：{detail}</source>
        <translation>Material “{name}”: {detail}</translation>
    </message>
    <message>
        <source>材料参数“{text}”格式应为：材料名称=第1页.jpg,第2页.png</source>
        <translation>Write the material argument “{text}” as: MATERIAL NAME=page1.jpg,page2.png</translation>
    </message>
    <message>
        <source>材料清单</source>
        <translation>material list</translation>
    </message>
    <message>
        <source>查看其他单位的月报须从市级平台取得，请加上 --platform</source>
        <translation>Another unit&apos;s figures come from the city platform: add --platform</translation>
    </message>
    <message>
        <source>校验位</source>
        <translation>check character</translation>
    </message>
    <message>
        <source>核查不属实，待注销证照</source>
        <translation>Found untrue: the licence is to be revoked</translation>
    </message>
    <message>
        <source>核查发现的问题</source>
        <translation>what the check found</translation>
    </message>
    <message>
        <source>核查已逾期</source>
        <translation>Check overdue</translation>
    </message>
    <message>
        <source>核查情况应为文字</source>
        <translation>What the check found must be text</translation>
    </message>
    <message>
        <source>核查结果应为：属实 或 不属实</source>
        <translation>The result of the check must be: 属实 (true) or 不属实 (untrue)</translation>
    </message>
    <message>
        <source>根代码</source>
        <translation>root code</translation>
    </message>
    <message>
        <source>模拟扫描仪无法读取图片“{name}”，请检查该文件</source>
        <translation>The simulated scanner cannot read image “{name}”. Check the file.</translation>
    </message>
    <message>
        <source>模拟扫描仪的图片文件夹“{folder}”不存在，请在设置中重新选择</source>
        <translation>The simulated scanner’s image folder “{folder}” does not exist. Choose it again in the settings.</translation>
    </message>
    <message>
        <source>模拟高拍仪无法播放视频“{name}”，请检查该文件</source>
        <translation>The simulated document camera cannot play video “{name}”. Check the file.</translation>
    </message>
    <message>
        <source>模拟高拍仪无法读取图片“{name}”，请检查该文件</source>
        <translation>The simulated document camera cannot read image “{name}”. Check the file.</translation>
    </message>
    <message>
        <source>模拟高拍仪的文件“{name}”不存在，请在设置中重新选择</source>
        <translation>The simulated document camera’s file “{name}” does not exist. Choose it again in the settings.</translation>
    </message>
    <message>
        <source>此证件的芯片不支持本程序的读取方式（BAC），请改为手工录入</source>
        <translation>This document’s chip does not support the reading method of this program (BAC). Enter the details by hand.</translation>
    </message>
    <message>
        <source>每个部门应写明单位、名称、反馈期限和是否必须参加</source>
        <translation>each department needs its unit, name, due date and whether it is required</translation>
    </message>
    <message>
        <source>每个部门须注明是否必须参加</source>
        <translation>say for each department whether it is required</translation>
    </message>
    <message>
        <source>没有可信的根证书：请先与市级平台同步，或用 --trust-root 指定根证书文件</source>
        <translation>No trusted root certificate: sync with the city platform first, or give a root certificate file with --trust-root</translation>
    </message>
    <message>
        <source>没有名为“{name}”的设置，请用 config list 查看</source>
        <translation>There is no setting named “{name}”; see config list.</translation>
    </message>
    <message>
        <source>没有权限读取图像文件“{name}”，请检查文件权限或先把文件复制到本机</source>
        <translation>No permission to read image file “{name}”. Check the file permissions or copy the file to this PC first.</translation>
    </message>
    <message>
        <source>没有第{page_no}页（该材料共{count}页）</source>
        <translation>There is no page {page_no} (this material has {count} pages)</translation>
    </message>
    <message>
        <source>没有要做的修改</source>
        <translation>There are no edits to make.</translation>
    </message>
    <message>
        <source>注销的理由</source>
        <translation>the reason for revoking</translation>
    </message>
    <message>
        <source>注销的证照标识</source>
        <translation>the identifier of the licence to revoke</translation>
    </message>
    <message>
        <source>流水号</source>
        <translation>serial number</translation>
    </message>
    <message>
        <source>港澳台居民居住证</source>
        <translation>residence permit for Hong Kong, Macao and Taiwan residents</translation>
    </message>
    <message>
        <source>版本号</source>
        <translation>version</translation>
    </message>
    <message>
        <source>用户名或口令错误</source>
        <translation>Wrong user name or password</translation>
    </message>
    <message>
        <source>用户名或口令错误（再错 {left} 次将锁定）</source>
        <translation>Wrong user name or password ({left} more wrong attempts will lock the account)</translation>
    </message>
    <message>
        <source>申请人信息中的“{label}”应为文字</source>
        <translation>The applicant’s “{label}” must be text</translation>
    </message>
    <message>
        <source>申请人信息缺少“{label}”，请补充后重试</source>
        <translation>The applicant’s “{label}” is missing. Fill it in and try again.</translation>
    </message>
    <message>
        <source>申请人文件“{path}”不是有效的 UTF-8 JSON：{e}</source>
        <translation>Applicant file “{path}” is not valid UTF-8 JSON: {e}</translation>
    </message>
    <message>
        <source>申请人文件应为一个 JSON 对象</source>
        <translation>The applicant file must hold one JSON object</translation>
    </message>
    <message>
        <source>申请人类型“{kind}”无效，应为 person（个人）或 org（单位）</source>
        <translation>Applicant kind “{kind}” is not valid; it must be person or org.</translation>
    </message>
    <message>
        <source>电子印章 {n}（{field}）：{verdict}</source>
        <translation>E-seal {n} ({field}): {verdict}</translation>
    </message>
    <message>
        <source>电子证照在出件时生成，不能作为通知书出具</source>
        <translation>The e-licence is made when the result is issued; it cannot be issued as a notice</translation>
    </message>
    <message>
        <source>电子证照标识应为文字</source>
        <translation>The e-licence identifier should be text</translation>
    </message>
    <message>
        <source>电子证照标识应由根代码、证照类型代码、颁发机构代码、流水号、版本号和校验位组成，以“.”分隔</source>
        <translation>An e-licence identifier consists of the root code, licence type code, issuing authority code, serial number, version and check character, separated by &quot;.&quot;</translation>
    </message>
    <message>
        <source>电子证照标识的{part}有误：{problem}</source>
        <translation>The {part} of the e-licence identifier is wrong: {problem}</translation>
    </message>
    <message>
        <source>电子证照标识过长（不应超过 {limit} 个字符）</source>
        <translation>The e-licence identifier is too long (at most {limit} characters)</translation>
    </message>
    <message>
        <source>登录已失效，请重新登录市级平台</source>
        <translation>The sign-in has expired. Sign in to the city platform again.</translation>
    </message>
    <message>
        <source>督办内容</source>
        <translation>notice text</translation>
    </message>
    <message>
        <source>督办回复期限应为日期（年-月-日）</source>
        <translation>The answer day must be a date (year-month-day)</translation>
    </message>
    <message>
        <source>督办回复期限应在督办当日至其后{days}天之内</source>
        <translation>The answer day must be between the day of the notice and {days} days after it</translation>
    </message>
    <message>
        <source>督办回复须注明所回复的督办通知</source>
        <translation>An answer must name the supervision notice it answers</translation>
    </message>
    <message>
        <source>督办通知须注明督办单位和被督办单位</source>
        <translation>A supervision notice must name the supervising unit and the unit supervised</translation>
    </message>
    <message>
        <source>磁盘空间不足，本次操作没有保存。请清理{noun}所在的磁盘{where}后重试，已保存的办件不会丢失。</source>
        <translation>The disk is full; nothing was saved. Free space on the disk of the {noun}{where} and try again. Saved cases will not be lost.</translation>
    </message>
    <message>
        <source>第{n}页内容不完整（边缘被裁切），请摆正后重新扫描</source>
        <translation>Page {n} is incomplete (its edges are cut off). Straighten it and scan again.</translation>
    </message>
    <message>
        <source>第{n}页几乎没有内容，请确认是否放错</source>
        <translation>Page {n} is almost empty. Check that the right sheet was scanned.</translation>
    </message>
    <message>
        <source>第{n}页太暗，请调亮后重新扫描</source>
        <translation>Page {n} is too dark. Make it brighter and scan again.</translation>
    </message>
    <message>
        <source>第{n}页是空白页</source>
        <translation>Page {n} is blank</translation>
    </message>
    <message>
        <source>第{n}页未找到纸张边缘，已保留整张照片，请确认</source>
        <translation>No paper edge found on page {n}; the whole photo was kept. Please check it.</translation>
    </message>
    <message>
        <source>第{n}页模糊，请重新扫描</source>
        <translation>Page {n} is blurred. Scan it again.</translation>
    </message>
    <message>
        <source>第{page_no}页：{code}</source>
        <translation>Page {page_no}: {code}</translation>
    </message>
    <message>
        <source>第{page}页</source>
        <translation>(page {page})</translation>
    </message>
    <message>
        <source>签名已取消</source>
        <translation>The signature was cancelled</translation>
    </message>
    <message>
        <source>签名数据已损坏或格式不受支持，请重新签名</source>
        <translation>The signature data is damaged or in an unsupported format. Please sign again.</translation>
    </message>
    <message>
        <source>签名板</source>
        <translation>signature pad</translation>
    </message>
    <message>
        <source>签名样本文件「{name}」已损坏或格式不受支持</source>
        <translation>The signature sample file “{name}” is damaged or in an unsupported format</translation>
    </message>
    <message>
        <source>签名过短，请重新签名</source>
        <translation>The signature is too short. Please sign again.</translation>
    </message>
    <message>
        <source>纸质材料核查期限格式错误</source>
        <translation>The due date of the paper check is malformed</translation>
    </message>
    <message>
        <source>结论：全部签章有效</source>
        <translation>Result: every seal is valid</translation>
    </message>
    <message>
        <source>结论：有签章无效，请勿采信该文件</source>
        <translation>Result: a seal is not valid; do not rely on this file</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>unified social credit code</translation>
    </message>
    <message>
        <source>统一社会信用代码含有无效字符「{bad}」（不使用I、O、Z、S、V）</source>
        <translation>The unified social credit code contains the invalid character “{bad}” (I, O, Z, S and V are not used)</translation>
    </message>
    <message>
        <source>统一社会信用代码应为18位，现为{length}位</source>
        <translation>A unified social credit code has 18 characters; this one has {length}</translation>
    </message>
    <message>
        <source>统一社会信用代码校验位不正确，请核对后重新输入</source>
        <translation>The check character of the unified social credit code is wrong. Check it and enter it again.</translation>
    </message>
    <message>
        <source>统一社会信用代码第3至8位应为行政区划码</source>
        <translation>Characters 3 to 8 of a unified social credit code must be an administrative division code</translation>
    </message>
    <message>
        <source>编辑期间该办件已有新的操作，请重新打开办件后再修改</source>
        <translation>The case changed while you were editing. Open the case again, then make the changes.</translation>
    </message>
    <message>
        <source>缴费单号 {reference} 已在该办件登记过</source>
        <translation>Payment reference {reference} is already recorded on this case.</translation>
    </message>
    <message>
        <source>缴费单号“{shown}”格式不对：应为公共支付平台的订单号（10–32位字母或数字）</source>
        <translation>Payment reference “{shown}” is not valid: it must be an order number of the public payment platform (10–32 letters or digits).</translation>
    </message>
    <message>
        <source>缴费金额 {amount} 元超出常理，请核对</source>
        <translation>A payment of {amount} yuan is implausible. Please check it.</translation>
    </message>
    <message>
        <source>缴费金额应大于零</source>
        <translation>The payment amount must be more than zero.</translation>
    </message>
    <message>
        <source>缴费金额格式错误</source>
        <translation>The payment amount is not in the expected format.</translation>
    </message>
    <message>
        <source>缺少必要材料：{missing}，不能受理。请申请人补齐，或出具一次性告知书</source>
        <translation>Required materials missing: {missing}. The case cannot be accepted. Ask the applicant to supply them, or issue a one-time notice.</translation>
    </message>
    <message>
        <source>联审意见内容过长（最多{most}字）</source>
        <translation>The joint review opinion is too long (at most {most} characters)</translation>
    </message>
    <message>
        <source>联审意见未齐，不能作出决定：{pending}尚未反馈意见</source>
        <translation>Not all joint review opinions are in, so no decision can be made yet: {pending} has not answered</translation>
    </message>
    <message>
        <source>联审意见结论应为：{results}</source>
        <translation>The joint review result must be one of: {results}</translation>
    </message>
    <message>
        <source>联审规则应为：{rules}</source>
        <translation>The joint review rule must be one of: {rules}</translation>
    </message>
    <message>
        <source>联审部门{against}不同意，不能准予</source>
        <translation>{against} disagreed in the joint review: the application cannot be approved</translation>
    </message>
    <message>
        <source>联审部门应写作 单位代码=YYYY-MM-DD（非必须参加的加“,可选”），现为“{spec}”</source>
        <translation>Write a joint review department as UNITCODE=YYYY-MM-DD (add “,可选” for an optional one), not “{spec}”</translation>
    </message>
    <message>
        <source>联审部门清单有误：{what}</source>
        <translation>The list of joint review departments is wrong: {what}</translation>
    </message>
    <message>
        <source>联审须选择{low}至{high}个部门</source>
        <translation>A joint review needs {low} to {high} departments</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>phone number</translation>
    </message>
    <message>
        <source>联系电话“{phone}”有误：{problem}</source>
        <translation>Phone number “{phone}” is wrong: {problem}</translation>
    </message>
    <message>
        <source>联系电话只能包含数字、空格和“-”</source>
        <translation>A phone number may contain only digits, spaces and “-”</translation>
    </message>
    <message>
        <source>自动进纸</source>
        <translation>automatic feeder</translation>
    </message>
    <message>
        <source>自助终端取件码</source>
        <translation>self-service terminal pick-up code</translation>
    </message>
    <message>
        <source>至少应有一个必须参加的部门</source>
        <translation>at least one department must be required</translation>
    </message>
    <message>
        <source>补正后的材料清单</source>
        <translation>amended material list</translation>
    </message>
    <message>
        <source>补正后至少应保留一份材料</source>
        <translation>At least one material must remain after the amendment.</translation>
    </message>
    <message>
        <source>补正通知书须列出需要补正的材料及补正内容</source>
        <translation>The correction notice must list the materials to correct and what to correct.</translation>
    </message>
    <message>
        <source>要注销的证照（{given}）不是该办件出具的证照（{issued}）</source>
        <translation>The licence to revoke ({given}) is not the one issued on this case ({issued})</translation>
    </message>
    <message>
        <source>设置“{name}”应为{kind}，而不是“{text}”</source>
        <translation>Setting “{name}” must be {kind}, not “{text}”</translation>
    </message>
    <message>
        <source>证书不是由本机信任的市级平台根证书签发的，未采用</source>
        <translation>The certificate was not issued under the city platform root this PC trusts; it was not used</translation>
    </message>
    <message>
        <source>证书已更换</source>
        <translation>superseded</translation>
    </message>
    <message>
        <source>证件信息不符，请核对证件号码、出生日期和有效期</source>
        <translation>The document details do not match. Check the document number, date of birth and expiry date.</translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>证件号码只能包含字母和数字，请按证件资料页填写</source>
        <translation>The document number may contain only letters and digits; copy it from the data page.</translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation>ID type</translation>
    </message>
    <message>
        <source>证件芯片中的资料无法识别，请改为手工录入</source>
        <translation>The data in the document’s chip cannot be understood. Enter the details by hand.</translation>
    </message>
    <message>
        <source>证照类型代码</source>
        <translation>licence type code</translation>
    </message>
    <message>
        <source>评价为“{level}”时不需选择差评原因</source>
        <translation>No reasons are needed for the rating “{level}”.</translation>
    </message>
    <message>
        <source>评价为“{level}”时，请至少选择一项原因</source>
        <translation>For the rating “{level}”, choose at least one reason.</translation>
    </message>
    <message>
        <source>评价内容不能超过{max_text}个字，现为{length}个字</source>
        <translation>The comment may have at most {max_text} characters; it has {length}.</translation>
    </message>
    <message>
        <source>评价内容含有无法显示的控制字符，请重新填写</source>
        <translation>The comment contains control characters that cannot be shown. Please write it again.</translation>
    </message>
    <message>
        <source>评价内容应为文字</source>
        <translation>The comment must be text.</translation>
    </message>
    <message>
        <source>评价渠道应为：{channels}</source>
        <translation>The rating channel must be one of: {channels}</translation>
    </message>
    <message>
        <source>评价等级应为：{levels}</source>
        <translation>The rating must be one of: {levels}</translation>
    </message>
    <message>
        <source>该 PDF 文件的页面缺少尺寸（{key}），无法盖章</source>
        <translation>The PDF&apos;s page has no size ({key}); it cannot be sealed</translation>
    </message>
    <message>
        <source>该{kind}尚未签名</source>
        <translation>This {kind} is not signed yet.</translation>
    </message>
    <message>
        <source>该{kind}已签名</source>
        <translation>This {kind} is already signed.</translation>
    </message>
    <message>
        <source>该{kind}未加盖电子印章</source>
        <translation>This {kind} bears no e-seal</translation>
    </message>
    <message>
        <source>该{kind}由其他单位出具，本机没有其文件，请向出具单位索取</source>
        <translation>This {kind} was issued by another unit and its file is not on this PC. Ask the issuing unit for it.</translation>
    </message>
    <message>
        <source>该事项不是即办件（承诺时限不为 0 个工作日），不能当场办结；请先受理</source>
        <translation>This item is not settled on the spot (its promised time is not 0 working days); accept it first</translation>
    </message>
    <message>
        <source>该办件不是告知承诺件，无需核查纸质材料</source>
        <translation>This case was not approved on promise: no paper check is needed</translation>
    </message>
    <message>
        <source>该办件为告知承诺件，纸质材料尚未核查，不能归档</source>
        <translation>This case was approved on promise and its paper materials are not checked yet: it cannot be archived</translation>
    </message>
    <message>
        <source>该办件出件时没有生成电子证照，无可注销</source>
        <translation>No e-licence was issued on this case; there is nothing to revoke</translation>
    </message>
    <message>
        <source>该办件尚未受理，不能作出决定</source>
        <translation>This case has not been accepted, so no decision can be made.</translation>
    </message>
    <message>
        <source>该办件尚未受理，不能出具受理通知书</source>
        <translation>This case has not been accepted, so no acceptance notice can be issued.</translation>
    </message>
    <message>
        <source>该办件尚未收件，不能{action}</source>
        <translation>This case has not been received yet, so “{action}” is not possible.</translation>
    </message>
    <message>
        <source>该办件已{status}，不能重复受理</source>
        <translation>This case is already “{status}”; it cannot be accepted again.</translation>
    </message>
    <message>
        <source>该办件已上报至{holder}，由其办理，本单位不能{kind}</source>
        <translation>This case was forwarded to {holder}, who handles it now; this unit cannot do “{kind}”.</translation>
    </message>
    <message>
        <source>该办件已发起联审，不能重复发起</source>
        <translation>A joint review of this case has already been started</translation>
    </message>
    <message>
        <source>该办件已受理，材料不能再更改；只有上级退回后，受理窗口才能补正</source>
        <translation>This case has been accepted and its materials can no longer change; only after a higher unit returns it can the receiving window amend them</translation>
    </message>
    <message>
        <source>该办件已收件</source>
        <translation>This case has already been received.</translation>
    </message>
    <message>
        <source>该办件已评价（{level}），每件只能评价一次</source>
        <translation>This case has already been rated ({level}); a case can be rated only once.</translation>
    </message>
    <message>
        <source>该办件当前不在本单位待审查（未上报至本单位，或已出具意见）</source>
        <translation>This case is not waiting for review here (it was not forwarded to this unit, or the opinion has been given)</translation>
    </message>
    <message>
        <source>该办件当前状态为“{state}”，不能{action}</source>
        <translation>This case is “{state}”, so “{action}” is not possible.</translation>
    </message>
    <message>
        <source>该办件当前状态为“{status}”，不能{kind}</source>
        <translation>This case is “{status}”, so “{kind}” is not possible.</translation>
    </message>
    <message>
        <source>该办件当前状态为“{status}”，不能受理</source>
        <translation>This case is “{status}”, so it cannot be accepted.</translation>
    </message>
    <message>
        <source>该办件当前状态为“{status}”，尚无可送达的结果，不能出具送达回证</source>
        <translation>This case is “{status}” and has no result to deliver yet, so no proof of service can be issued.</translation>
    </message>
    <message>
        <source>该办件未作一次性告知（没有需补齐的材料），不能出具一次性告知书</source>
        <translation>No one-time notice was given for this case (nothing is missing), so no one-time notice can be issued.</translation>
    </message>
    <message>
        <source>该办件未作不予受理，不能出具不予受理通知书</source>
        <translation>This case was not rejected, so no rejection notice can be issued.</translation>
    </message>
    <message>
        <source>该办件没有发起联审，不能反馈联审意见</source>
        <translation>No joint review was started for this case, so no joint review opinion can be given</translation>
    </message>
    <message>
        <source>该办件没有所回复的督办通知</source>
        <translation>This case has no such supervision notice to answer</translation>
    </message>
    <message>
        <source>该办件由{holder}办理，本单位不能{kind}</source>
        <translation>This case is handled by {holder}; this unit cannot do “{kind}”.</translation>
    </message>
    <message>
        <source>该办件的电子证照已注销</source>
        <translation>The e-licence of this case has been revoked already</translation>
    </message>
    <message>
        <source>该办件的纸质材料已核查（{result}）</source>
        <translation>The paper materials of this case were checked already ({result})</translation>
    </message>
    <message>
        <source>该操作所属的办件尚未接收到本机</source>
        <translation>The case of this action has not reached this PC yet.</translation>
    </message>
    <message>
        <source>该文件不是 PDF 文件，无法校验签章</source>
        <translation>This file is not a PDF; its seals cannot be checked</translation>
    </message>
    <message>
        <source>该文件不是可以盖章的 PDF 文件（{reason}）</source>
        <translation>This file is not a PDF that can be sealed ({reason})</translation>
    </message>
    <message>
        <source>该文件已有 {count} 个签章，不能再加盖</source>
        <translation>This file already has {count} seals; no more can be added</translation>
    </message>
    <message>
        <source>该文件没有电子印章或数字签名</source>
        <translation>This file has no e-seal or digital signature</translation>
    </message>
    <message>
        <source>该文件的签章超过 {count} 个，无法校验</source>
        <translation>This file has more than {count} seals; they cannot be checked</translation>
    </message>
    <message>
        <source>该督办通知不是发给本单位的，须由被督办单位回复</source>
        <translation>This notice was not sent to this unit; the unit supervised answers it</translation>
    </message>
    <message>
        <source>该督办通知已回复</source>
        <translation>This supervision notice has already been answered</translation>
    </message>
    <message>
        <source>该证书不是发给本单位的，未采用</source>
        <translation>The certificate was not issued to this unit; it was not used</translation>
    </message>
    <message>
        <source>该证书不能用于电子印章（密钥用途不符），未采用</source>
        <translation>The certificate cannot be used for an e-seal (wrong key usage); it was not used</translation>
    </message>
    <message>
        <source>该证书与本机保管的印章密钥不符，未采用</source>
        <translation>The certificate does not match any seal key kept on this PC; it was not used</translation>
    </message>
    <message>
        <source>请为{name}填写反馈期限（日期）</source>
        <translation>Enter a due date for {name}</translation>
    </message>
    <message>
        <source>请先填写意见内容，再存为常用意见</source>
        <translation>Write the opinion first, then keep it as a common opinion</translation>
    </message>
    <message>
        <source>请先登录：python -m app login --user 用户名（或为脚本设置环境变量 {password_env}）</source>
        <translation>Sign in first: python -m app login --user USER (or, for scripts, set the environment variable {password_env})</translation>
    </message>
    <message>
        <source>请先选择办理事项</source>
        <translation>Choose the service item first</translation>
    </message>
    <message>
        <source>请写明每个部门的名称</source>
        <translation>give the name of each department</translation>
    </message>
    <message>
        <source>请在签名区签名</source>
        <translation>Please sign in the signature area</translation>
    </message>
    <message>
        <source>请在终端运行，或设置环境变量 {password_env}（和 {user_env}）</source>
        <translation>Run this in a terminal, or set the environment variable {password_env} (and {user_env})</translation>
    </message>
    <message>
        <source>请填写{label}</source>
        <translation>Fill in the {label}</translation>
    </message>
    <message>
        <source>请填写{what}</source>
        <translation>Fill in the {what}</translation>
    </message>
    <message>
        <source>请填写不予受理的理由</source>
        <translation>Give the reason for rejecting</translation>
    </message>
    <message>
        <source>请填写收费依据</source>
        <translation>Fill in the basis of the fee</translation>
    </message>
    <message>
        <source>请填写文件的完整路径（如 C:\证书\单位CA.pem 或 /home/用户/单位CA.pem），而不是“{value}”</source>
        <translation>Give the full path of the file (e.g. C:\certs\unitCA.pem or /home/user/unitCA.pem), not “{value}”</translation>
    </message>
    <message>
        <source>请填写新增材料的名称</source>
        <translation>Give the name of the new material</translation>
    </message>
    <message>
        <source>请填写联审意见内容</source>
        <translation>Enter the text of the joint review opinion</translation>
    </message>
    <message>
        <source>请给出要插入的页面文件：{usage}</source>
        <translation>Give the page files to insert: {usage}</translation>
    </message>
    <message>
        <source>请给出要新增的页面文件：{usage}</source>
        <translation>Give the page files to add: {usage}</translation>
    </message>
    <message>
        <source>请联系技术人员核对设置 platform.ca_bundle。</source>
        <translation>Ask technical support to check the setting platform.ca_bundle.</translation>
    </message>
    <message>
        <source>请至少提交一份材料</source>
        <translation>Hand in at least one material</translation>
    </message>
    <message>
        <source>请输入11位手机号码，或带区号的固定电话</source>
        <translation>Enter an 11-digit mobile number, or a landline number with its area code</translation>
    </message>
    <message>
        <source>请输入口令：在终端运行，或设置环境变量 {password_env}</source>
        <translation>Enter the password: run this in a terminal, or set the environment variable {password_env}</translation>
    </message>
    <message>
        <source>请输入护照机读码的第二行（44个字符），或依次输入证件号码、出生日期和有效期</source>
        <translation>Enter the second line of the passport MRZ (44 characters), or the document number, date of birth and expiry date in turn</translation>
    </message>
    <message>
        <source>请输入护照机读码的第二行，或依次输入证件号码、出生日期和有效期（用空格分隔）</source>
        <translation>Enter the second line of the passport MRZ, or the document number, date of birth and expiry date in turn (separated by spaces)</translation>
    </message>
    <message>
        <source>请输入用户名和口令</source>
        <translation>Enter the user name and password</translation>
    </message>
    <message>
        <source>读写{noun}{where}时磁盘出错，本次操作没有保存。请检查磁盘或U盘是否连接牢固后重试；如反复出现，请联系技术支持检查磁盘。</source>
        <translation>A disk error occurred while reading or writing the {noun}{where}; nothing was saved. Check that the disk or USB stick is firmly connected and try again; if it keeps happening, ask technical support to check the disk.</translation>
    </message>
    <message>
        <source>读卡器</source>
        <translation>card reader</translation>
    </message>
    <message>
        <source>读卡器上的卡片不是电子护照或电子证件，请放置带芯片的证件</source>
        <translation>The card on the reader is not an e-passport or electronic document. Place a document with a chip.</translation>
    </message>
    <message>
        <source>读卡器通信出错，请将证件重新放置后再读</source>
        <translation>Communication with the card reader failed. Place the document again and read it again.</translation>
    </message>
    <message>
        <source>读卡器（护照/电子证件）</source>
        <translation>card reader (passport / e-document)</translation>
    </message>
    <message>
        <source>读取护照需要证件资料页上的信息，请用 --mrz 给出机读码第二行，或证件号码、出生日期和有效期</source>
        <translation>Reading a passport needs the details from its data page: give the second MRZ line with --mrz, or the document number, date of birth and expiry date.</translation>
    </message>
    <message>
        <source>读取证件芯片时数据校验失败，请将证件放稳后重新读取</source>
        <translation>A data check failed while reading the document’s chip. Hold the document still and read it again.</translation>
    </message>
    <message>
        <source>账号“{user}”属于{name}（{code}），与本机单位 {org} 不符</source>
        <translation>Account “{user}” belongs to {name} ({code}), not to this PC’s unit {org}</translation>
    </message>
    <message>
        <source>距上次联网登录已超过 {days} 天，请连接市级平台后再登录</source>
        <translation>More than {days} days have passed since the last online sign-in. Connect to the city platform, then sign in.</translation>
    </message>
    <message>
        <source>身份证信息校验未通过，请将证件重新放置后再读；仍不通过时请人工核验证件</source>
        <translation>The ID card data failed its check. Place the card again and read it again; if it still fails, check the card by hand.</translation>
    </message>
    <message>
        <source>身份证信息读取不完整，请将证件重新放置后再读</source>
        <translation>The ID card data was read incompletely. Place the card again and read it again.</translation>
    </message>
    <message>
        <source>身份证号码中的出生日期无效</source>
        <translation>The date of birth in the ID number is not valid</translation>
    </message>
    <message>
        <source>身份证号码前17位应为数字，最后一位为数字或X</source>
        <translation>The first 17 characters of an ID number are digits; the last is a digit or X</translation>
    </message>
    <message>
        <source>身份证号码应为18位，现为{length}位</source>
        <translation>An ID number has 18 characters; this one has {length}</translation>
    </message>
    <message>
        <source>身份证号码校验位不正确，请核对后重新输入</source>
        <translation>The check character of the ID number is wrong. Check it and enter it again.</translation>
    </message>
    <message>
        <source>身份证号码的地址码无效</source>
        <translation>The address code in the ID number is not valid</translation>
    </message>
    <message>
        <source>身份证读取失败，请将证件重新放置后再读</source>
        <translation>Reading the ID card failed. Place the card again and read it again.</translation>
    </message>
    <message>
        <source>身份证阅读器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <source>身份证阅读器名称「{name}」无法识别，应为 serial:串口、sdt:驱动库路径 或 sim:id_reader</source>
        <translation>The ID card reader name “{name}” is not recognised; it must be serial:PORT, sdt:DRIVER_LIBRARY_PATH or sim:id_reader</translation>
    </message>
    <message>
        <source>身份证阅读器返回错误（代码 {code:02X}），请将证件重新放置后再读</source>
        <translation>The ID card reader reported an error (code {code:02X}). Place the card again and read it again.</translation>
    </message>
    <message>
        <source>身份证阅读器通信出错，请重新放置证件后再读</source>
        <translation>Communication with the ID card reader failed. Place the card again and read it again.</translation>
    </message>
    <message>
        <source>这一页的图像尚未从平台下载到本机，同步后即可查看</source>
        <translation>This page&apos;s image has not been downloaded from the platform yet; it can be viewed after the next sync</translation>
    </message>
    <message>
        <source>这一页的图像无法读取，请删除后重新扫描</source>
        <translation>The image of this page cannot be read. Delete it and scan again.</translation>
    </message>
    <message>
        <source>这一页的图像无法读取，请联系技术支持核查数据文件</source>
        <translation>This page&apos;s image cannot be read; ask technical support to check the data files</translation>
    </message>
    <message>
        <source>这份未完成的收件已不存在（可能已收件或已取消）</source>
        <translation>This unfinished intake no longer exists (it may have been received or cancelled).</translation>
    </message>
    <message>
        <source>这张证件是{other_card_types}，目前只能读取居民身份证，请手工录入申请人信息</source>
        <translation>This card is a {other_card_types}; only resident ID cards can be read for now. Enter the applicant’s details by hand.</translation>
    </message>
    <message>
        <source>退回意见中材料“{material}”列了多次，请合并为一项</source>
        <translation>The return lists the material “{material}” more than once; merge them into one line</translation>
    </message>
    <message>
        <source>退回意见中的“{material}”不是该办件的材料，请从办件的材料中选择</source>
        <translation>“{material}” in the return is not a material of this case; choose from the case’s materials</translation>
    </message>
    <message>
        <source>退回时须逐项列出需补正的材料及补正内容</source>
        <translation>A return must list each material to correct and what to correct in it</translation>
    </message>
    <message>
        <source>退回的每一项都须写明材料名称和需补正的内容</source>
        <translation>Each line of a return must name the material and say what to correct</translation>
    </message>
    <message>
        <source>送达方式应为：{delivery_methods}</source>
        <translation>The delivery method must be one of: {delivery_methods}</translation>
    </message>
    <message>
        <source>通知书种类应为：{kinds}</source>
        <translation>The notice kind must be one of: {kinds}</translation>
    </message>
    <message>
        <source>通知书记录格式错误</source>
        <translation>The notice record is not in the expected format.</translation>
    </message>
    <message>
        <source>邮寄单号</source>
        <translation>postal tracking number</translation>
    </message>
    <message>
        <source>部门的统一社会信用代码不正确</source>
        <translation>a department&apos;s unified social credit code is not valid</translation>
    </message>
    <message>
        <source>金额“{raw}”格式不对，请以元为单位填写，如 80 或 80.50（最多两位小数）</source>
        <translation>The amount “{raw}” is not valid. Enter it in yuan, e.g. 80 or 80.50 (at most two decimals).</translation>
    </message>
    <message>
        <source>阅读器上没有身份证，请将身份证放在阅读器上</source>
        <translation>There is no ID card on the reader. Place the ID card on the reader.</translation>
    </message>
    <message>
        <source>阅读器上的证件无法识别，请放置居民身份证后再读</source>
        <translation>The card on the reader is not recognised. Place a resident ID card and read again.</translation>
    </message>
    <message>
        <source>页码</source>
        <translation>The page number</translation>
    </message>
    <message>
        <source>页面只能按90度旋转</source>
        <translation>Pages can only be turned in steps of 90 degrees.</translation>
    </message>
    <message>
        <source>颁发机构代码</source>
        <translation>issuing authority code</translation>
    </message>
    <message>
        <source>首次在本机登录需要连接市级平台，请先设置平台地址并联网后再登录。</source>
        <translation>The first sign-in on this PC needs the city platform. Set the platform address and go online, then sign in.</translation>
    </message>
    <message>
        <source>首次在本机登录需要连接市级平台，请联网后再登录。（{detail}）</source>
        <translation>The first sign-in on this PC needs the city platform. Go online, then sign in. ({detail})</translation>
    </message>
    <message>
        <source>高拍仪</source>
        <translation>document camera</translation>
    </message>
    <message>
        <source>高拍仪没有传来画面，请检查连接后点击重试</source>
        <translation>The document camera sends no picture. Check the connection and click Retry.</translation>
    </message>
    <message>
        <source>（时间均为北京时间）</source>
        <translation>(all times are Beijing time)</translation>
    </message>
    <message>
        <source>（未记录）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>（证书中没有单位名称）</source>
        <translation>(no unit name in the certificate)</translation>
    </message>
    <message>
        <source>，请由{who}办理</source>
        <translation>; ask {who} to do it</translation>
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
