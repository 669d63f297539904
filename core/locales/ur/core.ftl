# اردو میں کور کے الفاظ۔

## Projects
project-set-up-by-staff-only = صرف عملے نے شروع کیا: خدمات استعمال کرنے والوں کو شریک بانی بننے کی دعوت دیں۔
project-set-up-by-staff-only-easy = یہ منصوبہ صرف عملے نے شروع کیا۔ جن لوگوں کی ہم مدد کرتے ہیں انہیں شروع سے شامل کریں۔
stage-idea = خیال
stage-shaping = تشکیل
stage-doing = عمل
stage-reviewing = جائزہ
stage-resting = وقفہ
stage-done = مکمل

## Contributions
time-given = { $hours ->
    [one] ایک گھنٹہ دیا
   *[other] { $hours } گھنٹے دیے
}
time-given-easy = { $hours ->
    [one] آپ نے 1 گھنٹہ دیا۔ شکریہ!
   *[other] آپ نے { $hours } گھنٹے دیے۔ شکریہ!
}

## Home
home-waiting-updates = { $count ->
    [one] پڑھنے کے لیے ایک نئی خبر
   *[other] پڑھنے کے لیے { $count } نئی خبریں
}
home-waiting-actions = { $count ->
    [one] ایک کام آپ کا ہے
   *[other] { $count } کام آپ کے ہیں
}

## Errors people may see
error-not-found = ہمیں یہ نہیں ملا۔ ہو سکتا ہے اسے ہٹا دیا گیا ہو، یا یہ ابھی اس فون تک نہ پہنچا ہو۔
error-not-found-easy = ہمیں یہ نہیں ملا۔
error-invalid = { $field }: { $reason }
error-not-allowed = آپ یہاں یہ نہیں کر سکتے: { $reason }
error-conflict = یہ ابھی نہیں ہو سکتا: { $reason }
error-storage = اس فون پر محفوظ کرتے وقت کچھ غلط ہو گیا۔ کچھ بھی تبدیل نہیں ہوا۔
error-offline = ابھی کنکشن نہیں ہے۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں اور بعد میں بھیج دی جائیں گی۔
error-offline-easy = ابھی سگنل نہیں ہے۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں۔
error-network = سرور ابھی یہ نہیں لے سکا: { $reason }۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں۔
