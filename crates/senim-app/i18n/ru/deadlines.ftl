# Сроки: панель показателей, напоминания, сверка отчёта об аудите (задача 4).

nav-dashboard = Показатели
dash-title = Показатели
dash-lead = Полученные и рассмотренные заявления в сравнении со сроками Правил: 10 рабочих дней на рассмотрение (п. 6), 5 на повторное (п. 8), 5 на опубликование включения (п. 7).
dash-period = Период
dash-from = С
dash-to = По
dash-show = Показать
dash-all-bodies = Все органы
dash-period-text = С { $from } по { $to }; просроченные — на сегодня.
dash-received = Получено
dash-received-split = (впервые: { $first }, повторно: { $resubmissions })
dash-decided = Рассмотрено
dash-included = Включено
dash-nonconforming = Уведомлений о несоответствии
dash-median = Медиана рабочих дней до решения
dash-share = Рассмотрено в срок
dash-overdue = Просрочено сейчас
dash-of-open = из { $open } на рассмотрении
dash-due-soon = Срок в ближайшие два рабочих дня
dash-publications = Включения, ожидающие опубликования
dash-publications-overdue = (просрочено: { $count })
dash-chart-months = Получено и рассмотрено по месяцам
dash-chart-months-desc = Столбцы по месяцам за последние двенадцать месяцев: полученные заявления и принятые решения. Те же данные — в таблице ниже.
dash-as-table = Данные в виде таблицы
dash-month = Месяц
dash-chart-outcomes = Решения за период
dash-chart-outcomes-desc = Число включений, уведомлений о несоответствии, решений в срок и после срока, а также просроченных дел на сегодня.
dash-within = В срок
dash-late = После срока
dash-chart-bodies = Доля решений в срок по органам
dash-chart-bodies-desc = По одному столбцу на орган: процент решений за период, принятых в срок. Все показатели по органам — в таблице ниже.
dash-by-body = По органам
dash-method = Каждая подача и повторная подача считается отдельным делом со своим сроком. Рабочие дни считаются со дня регистрации, как и срок; применяется действующий календарь.
err-date-invalid = Введите дату в виде ГГГГ-ММ-ДД
err-period-order = Конец периода не может быть раньше его начала

point-name = Наименование системы
point-purpose_area = Назначение и сфера применения
point-functionality = Функциональные возможности
point-goals_conditions = Цели и условия использования
point-given = указано
point-missing = не указано

crosscheck-title = Аудиторское заключение и заявление ({ rule-6-audit })
crosscheck-caption = Где в отчёте об аудите встречается каждый факт заявления
crosscheck-fact = Факт
crosscheck-in-application = В заявлении
crosscheck-in-report = В отчёте об аудите
crosscheck-hint = Найдено автоматически в тексте отчёта без учёта регистра, переносов строк и кавычек. Ненайденный факт может быть записан иначе: перед решением откройте отчёт и проверьте.
crosscheck-no-report = В этой подаче нет отчёта об аудите.
crosscheck-unreadable = Текст отчёта об аудите прочитать не удалось, автоматическая сверка невозможна. Откройте отчёт и сверьте сами.
crosscheck-no-text = В отчёте об аудите ({ $pages } стр.) нет текстового слоя: вероятно, это скан. Автоматически сверить ничего не удалось; откройте отчёт и сверьте сами.
crosscheck-summary = Текст отчёта ({ $pages } стр.) сверен с заявлением: не найдено или найдено частично фактов — { $mismatches }.
fact-system_name = Наименование системы
fact-owner_name = Собственник или владелец
fact-bin_iin = БИН/ИИН
fact-auditor = Аудитор
fact-audit_date = Дата аудита
fact-conclusions = Выводы
finding-found = Найдено на стр. { $page }
finding-partial = Лишь частично: { $percent }% слов на стр. { $page }
finding-missing = Не найдено
finding-not-given = В заявлении не указано

reminder-line-round = { $stage ->
    [overdue] { $reference } «{ $system }»: срок рассмотрения истёк { $due }, просрочено рабочих дней: { $days } (п. 6 Правил). { $link }
   *[due_soon] { $reference } «{ $system }»: срок рассмотрения — { $due }, осталось рабочих дней: { $days } (п. 6 Правил). { $link }
}
reminder-line-resubmission = { $stage ->
    [overdue] { $reference } «{ $system }» (повторно): срок рассмотрения истёк { $due }, просрочено рабочих дней: { $days } (п. 8 Правил). { $link }
   *[due_soon] { $reference } «{ $system }» (повторно): срок рассмотрения — { $due }, осталось рабочих дней: { $days } (п. 8 Правил). { $link }
}
reminder-line-publication = { $stage ->
    [overdue] { $reference } «{ $system }»: срок опубликования истёк { $due }, просрочено рабочих дней: { $days } (п. 7 Правил). { $link }
   *[due_soon] { $reference } «{ $system }»: опубликовать до { $due }, осталось рабочих дней: { $days } (п. 7 Правил). { $link }
}
mail-reminder-subject = Senim: сроки ({ $count }, просрочено: { $overdue })
mail-reminder-body = Сроки по Правилам, требующие вашего внимания:
    
    { $items }
    
    Войдите в Senim, чтобы рассмотреть или опубликовать. Напоминание приходит один раз перед каждым сроком и один раз, когда срок пропущен.

doc-read = читать здесь
doc-back = Назад к рассмотрению
doc-download = Скачать файл (PDF)
doc-text-lead = Текст документа, как он записан в PDF, по страницам. Вёрстка, изображения и подписи есть только в самом файле: скачайте его, чтобы их увидеть.
doc-page = Страница { $page }
