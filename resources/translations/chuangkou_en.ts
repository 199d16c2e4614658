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
        <source>未开始计时</source>
        <translation>Clock not started</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>受理编号</source>
        <extracomment>``ids -&gt; rows by id`` (``queries.case_rows`` bound to a context); ids it omits show empty.</extracomment>
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
        <source>该年度的节假日安排尚未公布，暂按周一至周五计算</source>
        <translation>The public holidays of that year are not known yet; counted Monday to Friday for now</translation>
    </message>
    <message>
        <source>未在计时（尚未受理、已中止计时或已办结）</source>
        <translation>Clock not running (not accepted yet, suspended or closed)</translation>
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
    <name>MainWindow</name>
    <message>
        <source>窗口 — 政务服务受理</source>
        <extracomment>A list of ids is in the table (after start-up, a search or a filter change). The status bar&apos;s 临近/超期 counts match the shown list.</extracomment>
        <translation>Chuangkou — Government service counter</translation>
    </message>
    <message>
        <source>按受理编号、申请人姓名或事项名称搜索</source>
        <translation>Search by case number, applicant name or service item</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
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
    <name>SyncStatusBar</name>
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
        <source>上传</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <source>下载</source>
        <translation>Downloading</translation>
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
</TS>
