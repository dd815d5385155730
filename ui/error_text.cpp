#include "ui/error_text.h"

#include <QCoreApplication>
#include <QMessageBox>

namespace kaskade::ui {

QString errorText(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QCoreApplication::translate("ErrorText", "A parameter is out of range.");
    case ErrorCode::FileNotFound:
        return QCoreApplication::translate("ErrorText", "A file the model needs was not found.");
    case ErrorCode::FileIo:
        return QCoreApplication::translate("ErrorText", "A file could not be read or written (is the disk full?).");
    case ErrorCode::BadFormat:
        return QCoreApplication::translate("ErrorText", "A file is not in the expected format or is damaged.");
    case ErrorCode::BadCheckpoint:
        return QCoreApplication::translate("ErrorText", "The checkpoint does not match the model it was loaded as.");
    case ErrorCode::Unsupported: return QCoreApplication::translate("ErrorText", "This is not supported yet.");
    case ErrorCode::DeviceError:
        return QCoreApplication::translate("ErrorText", "The device reported an error (see the details).");
    case ErrorCode::Cancelled: return QCoreApplication::translate("ErrorText", "Cancelled.");
    case ErrorCode::Internal:
        return QCoreApplication::translate("ErrorText",
                                           "An internal error occurred. Please report it with the details below.");
    }
    return QCoreApplication::translate("ErrorText", "An unknown error occurred.");
}

QString errorAdvice(ErrorCode code, const QString& message)
{
    if (code == ErrorCode::DeviceError || code == ErrorCode::InvalidArgument) {
        if (message.contains(QLatin1String("no CUDA"), Qt::CaseInsensitive) ||
            message.contains(QLatin1String("CUDA is not available"), Qt::CaseInsensitive) ||
            message.contains(QLatin1String("not compiled with CUDA"), Qt::CaseInsensitive))
            return QCoreApplication::translate("ErrorText",
                                               "This build of Kaskade or this machine has no CUDA GPU. Choose CPU "
                                               "or Automatic as the device.");
        if (message.contains(QLatin1String("out of memory"), Qt::CaseInsensitive))
            return QCoreApplication::translate("ErrorText",
                                               "The device ran out of memory. Try a smaller size, fewer images per "
                                               "job, bf16, or the CPU.");
    }
    if (code == ErrorCode::Unsupported && message.contains(QLatin1String("fp16"), Qt::CaseInsensitive))
        return QCoreApplication::translate("ErrorText",
                                           "Stage C overflows in fp16 (black images). Choose bf16 or fp32 as the "
                                           "precision.");
    return errorText(code);
}

void showError(QWidget* parent, const QString& action, ErrorCode code, const QString& details)
{
    showError(parent, action, errorAdvice(code, details), details);
}

void showError(QWidget* parent, const QString& action, const QString& advice, const QString& details)
{
    // Window-modal but not blocking: the worker's signals keep arriving while the box is open.
    auto* box = new QMessageBox(QMessageBox::Warning, action, QStringLiteral("<b>%1</b>").arg(action.toHtmlEscaped()),
                                QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(advice);
    box->setDetailedText(details);
    box->open();
}

} // namespace kaskade::ui
